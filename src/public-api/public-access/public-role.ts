import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

const PERMISSION = 'plugin::users-permissions.permission';
const ROLE = 'plugin::users-permissions.role';
const LOCK_POLICY = 'global::public-role-follows-allow-list';
const WRITES = ['afterCreate', 'afterCreateMany', 'afterUpdate', 'afterUpdateMany', 'afterDelete', 'afterDeleteMany'] as const;

export const PUBLIC_ROLE_LOCKED =
  "The public role's permissions follow the allow-list of public types (src/public-api/public-access); every node sets them when it starts.";

/**
 * The public role is what anonymous callers may do, and that is the allow-list's to say: every
 * node sets the role's permissions from it when it starts (grantPublicRead). So they are not
 * edited in the admin or through an API token (such a change would hold until the next start, and
 * only on the nodes that read it), and each node reads them once instead of on every anonymous
 * request: users-permissions loads them from the database for each one (a statement and its row
 * mapping, about a tenth of an uncached read; `performance.publicRoleOnce` switches it off, as
 * the benchmark's stock node does). The node reads them again after any write of its own
 * to permissions or roles, at once and when the write commits; the other roles are untouched.
 */
export function registerPublicRole(strapi: Core.Strapi): void {
  strapi.get('policies').set(LOCK_POLICY, refusePublicRoleEdit);
  const plugin = strapi.plugin('users-permissions');
  for (const router of Object.values(plugin.routes as Record<string, { routes: any[] }>)) {
    for (const route of router.routes.filter((r) => r.handler === 'role.updateRole')) {
      route.config = { ...route.config, policies: [...(route.config?.policies ?? []), LOCK_POLICY] };
    }
  }

  let kept: Promise<unknown[]> | undefined;
  const forget = () => {
    kept = undefined;
  };
  strapi.get('services').extend('plugin::users-permissions.permission', (service: any) => ({
    ...service,
    findPublicPermissions() {
      if ((strapi.config.get('performance.publicRoleOnce', true) as boolean) === false) return service.findPublicPermissions();
      const read = (kept ??= service.findPublicPermissions());
      // A failed read (the database away) is not kept: the next request asks again.
      read.catch(() => kept === read && forget());
      return read;
    },
  }));
  const afterWrite = () => {
    forget();
    if (strapi.db.inTransaction()) void strapi.db.transaction(({ onCommit }) => onCommit(forget));
  };
  strapi.db.lifecycles.subscribe({ models: [PERMISSION, ROLE], ...Object.fromEntries(WRITES.map((action) => [action, afterWrite])) });
}

/** A route policy after users-permissions' own: an edit of the public role is refused (403) before anything is written. */
async function refusePublicRoleEdit(policyContext: any, _config: unknown, { strapi }: { strapi: Core.Strapi }): Promise<boolean> {
  const id = String(policyContext.params?.role ?? '');
  if (!/^\d+$/.test(id)) return true; // not a role id: users-permissions answers as before
  const role = await strapi.db.query(ROLE).findOne({ where: { id: Number(id) }, select: ['type'] });
  if (role?.type === 'public') throw new errors.PolicyError(PUBLIC_ROLE_LOCKED);
  return true;
}
