import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { isPublicCaller, publicRead, publicReadActions } from './core';
import { CONTENT_LOCALES } from '../../content/locales/core';
import { PUBLIC_UIDS, READ_ACTIONS } from '../../content/model/core';

const PERMISSION = 'plugin::users-permissions.permission';
const ROLE = 'plugin::users-permissions.role';

/**
 * Sets, idempotently, what the anonymous role may do: find and findOne on the public types,
 * nothing else (anything else a previous version or a click in the admin granted is removed).
 * End-user self-registration is switched off: there is nothing for end users to do here.
 */
export async function grantPublicRead(strapi: Core.Strapi): Promise<void> {
  const role = await strapi.db.query(ROLE).findOne({ where: { type: 'public' } });
  if (!role) throw new Error('users-permissions public role is missing');
  const wanted = new Set(publicReadActions());
  const current = await strapi.db.query(PERMISSION).findMany({ where: { role: role.id }, select: ['id', 'action'] });
  const have = new Set(current.map((p) => p.action));
  const extra = current.filter((p) => !wanted.has(p.action)).map((p) => p.id);
  if (extra.length) await strapi.db.query(PERMISSION).deleteMany({ where: { id: { $in: extra } } });
  for (const action of wanted) {
    if (!have.has(action)) await strapi.db.query(PERMISSION).create({ data: { action, role: role.id } });
  }

  const store = strapi.store({ type: 'plugin', name: 'users-permissions', key: 'advanced' });
  const advanced = ((await store.get()) as Record<string, unknown>) ?? {};
  if (advanced.allow_register !== false) await store.set({ value: { ...advanced, allow_register: false } });
}

/**
 * Strapi's content API lets any caller allowed to `find` ask for drafts (`status`), and the
 * document service itself defaults to drafts. For public callers every read is forced to
 * published content, an explicit request for drafts is refused with a 403, and an unknown
 * locale with a 400 (Strapi would answer an empty list).
 */
export function registerDraftGuard(strapi: Core.Strapi): void {
  const guarded = new Set(PUBLIC_UIDS);
  const locales = CONTENT_LOCALES.map((locale) => locale.code);
  strapi.documents.use(async (context, next) => {
    if (READ_ACTIONS.has(context.action) && guarded.has(context.uid) && isPublicCaller(strapi.requestContext.get()?.state)) {
      const decision = publicRead(context.params as Record<string, unknown>, locales);
      if ('refusal' in decision) {
        throw decision.refusal === 'forbidden' ? new errors.ForbiddenError(decision.message) : new errors.ValidationError(decision.message);
      }
      context.params = decision.params as typeof context.params;
    }
    return next();
  });
}
