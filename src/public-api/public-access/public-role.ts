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
 * The ability those permissions give is built once too (keepAbilities).
 */
export function registerPublicRole(strapi: Core.Strapi): void {
  strapi.get('policies').set(LOCK_POLICY, refusePublicRoleEdit);
  const plugin = strapi.plugin('users-permissions');
  for (const router of Object.values(plugin.routes as Record<string, { routes: any[] }>)) {
    for (const route of router.routes.filter((r) => r.handler === 'role.updateRole')) {
      route.config = { ...route.config, policies: [...(route.config?.policies ?? []), LOCK_POLICY] };
    }
  }

  const once = () => (strapi.config.get('performance.publicRoleOnce', true) as boolean) !== false;
  let kept: Promise<unknown[]> | undefined;
  const forget = () => {
    kept = undefined;
  };
  strapi.get('services').extend('plugin::users-permissions.permission', (service: any) => ({
    ...service,
    findPublicPermissions() {
      if (!once()) return service.findPublicPermissions();
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
  keepAbilities(strapi, once);
}

/** How many distinct sets of actions keepAbilities holds abilities for (the public role, a few API tokens' roles). */
const KEPT_ABILITIES = 32;

/**
 * users-permissions builds the caller's ability from its permissions on every request, running the
 * permission engine's hooks for each one: about 6 % of an uncached anonymous search (profiled), for
 * the same answer each time. An ability given by bare actions (the public role's permissions are
 * `{ action }` only) depends on nothing else, and nothing changes it once built, so the content
 * API's engine keeps it by its list of actions: a change of the permissions is a new list. No
 * extension point caches abilities; the engine's method is wrapped once, at register.
 */
function keepAbilities(strapi: Core.Strapi, once: () => boolean): void {
  const engine = strapi.contentAPI.permissions.engine as any;
  const generate = engine.generateAbility.bind(engine);
  const kept = new Map<string, Promise<unknown>>();
  const bareActions = (permissions: any[]) =>
    permissions.every((permission) => typeof permission?.action === 'string' && Object.keys(permission).length === 1);
  engine.generateAbility = (permissions: any[], options: Record<string, unknown> = {}) => {
    if (!once() || Object.keys(options).length > 0 || !bareActions(permissions)) return generate(permissions, options);
    const key = permissions.map((permission) => permission.action).join('\n');
    let ability = kept.get(key);
    if (!ability) {
      if (kept.size >= KEPT_ABILITIES) kept.clear();
      kept.set(key, (ability = generate(permissions, options)));
      // A failed build is not kept: the next request builds it again.
      ability.catch(() => kept.get(key) === ability && kept.delete(key));
    }
    return ability;
  };
}

/** A route policy after users-permissions' own: an edit of the public role is refused (403) before anything is written. */
async function refusePublicRoleEdit(policyContext: any, _config: unknown, { strapi }: { strapi: Core.Strapi }): Promise<boolean> {
  const id = String(policyContext.params?.role ?? '');
  if (!/^\d+$/.test(id)) return true; // not a role id: users-permissions answers as before
  const role = await strapi.db.query(ROLE).findOne({ where: { id: Number(id) }, select: ['type'] });
  if (role?.type === 'public') throw new errors.PolicyError(PUBLIC_ROLE_LOCKED);
  return true;
}
