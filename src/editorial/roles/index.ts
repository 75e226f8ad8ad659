import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { AUTHOR_CODE, EDITORIAL_ROLES, PUBLISHED_DELETION_REFUSED, WITHDRAWN_ACTIONS, isReviewer, rolePermissions } from './core';
import { CONTENT_LOCALES } from '../../content/locales/core';
import { PUBLIC_UIDS } from '../../content/model/core';

export interface AdminUser {
  id: number | string;
  firstname?: string;
  lastname?: string;
  roles?: { code?: string }[];
}

/** The admin-panel user behind the current request, if any (not API tokens, not scripts). */
export function currentAdminUser(strapi: Core.Strapi): AdminUser | null {
  const state = strapi.requestContext.get()?.state as { user?: AdminUser; auth?: { strategy?: { name?: string } } } | undefined;
  return state?.auth?.strategy?.name === 'admin' && state.user ? state.user : null;
}

/**
 * Creates the Editor and Reviewer roles if missing and sets their permissions, at every start:
 * the code is the truth, so permissions changed by hand in the admin are put back. Strapi's
 * Author role goes once nobody holds it, and no role keeps the withdrawn actions.
 */
export async function ensureEditorialRoles(strapi: Core.Strapi): Promise<void> {
  const roles = strapi.service('admin::role');
  const contentTypes = strapi.service('admin::content-type');
  const fieldsByType = Object.fromEntries(
    PUBLIC_UIDS.map((uid) => [
      uid,
      contentTypes.getNestedFields(strapi.contentTypes[uid as keyof typeof strapi.contentTypes], { components: strapi.components }),
    ]),
  );
  const locales = CONTENT_LOCALES.map((locale) => locale.code);
  for (const definition of EDITORIAL_ROLES) {
    const { code, name, description } = definition;
    let role = await roles.findOne({ code });
    if (!role) role = await roles.create({ code, name, description });
    else if (role.name !== name || role.description !== description) await roles.update({ id: role.id }, { name, description });
    await roles.assignPermissions(role.id, rolePermissions(definition, fieldsByType, locales));
  }
  const author = await roles.findOne({ code: AUTHOR_CODE });
  if (author && (await roles.getUsersCount(author.id)) === 0) await roles.deleteByIds([author.id]);
  await strapi.db.query('admin::permission').deleteMany({ where: { action: { $in: WITHDRAWN_ACTIONS } } });
}

/**
 * Strapi's delete permission covers published documents too; an editor may delete drafts that
 * were never published, not what partner sites already show.
 */
export function registerPublishedDeletionGuard(strapi: Core.Strapi): void {
  const guarded = new Set(PUBLIC_UIDS);
  strapi.documents.use(async (context, next) => {
    if (context.action !== 'delete' || !guarded.has(context.uid)) return next();
    const user = currentAdminUser(strapi);
    if (!user || isReviewer(user.roles)) return next();
    // Like the document service, no locale means the default one.
    const { documentId, locale = CONTENT_LOCALES[0].code } = context.params as { documentId?: string; locale?: string };
    const where = { documentId, publishedAt: { $notNull: true }, ...(locale === '*' ? {} : { locale }) };
    // A PolicyError, as Strapi only shows the message of that kind of 403 to the caller.
    if ((await strapi.db.query(context.uid).count({ where })) > 0) throw new errors.PolicyError(PUBLISHED_DELETION_REFUSED);
    return next();
  });
}
