import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { currentAdminUser } from '../roles';
import { FIELD_GUIDE, fieldTexts } from '../../content/labels/core';
import type { Attributes } from '../../content/model/core';
import {
  comparedFields,
  conflictMessage,
  fingerprints,
  remember,
  resolve,
  versionKey,
  yourVersion,
  type OpenedVersion,
  type OpenedVersions,
} from './core';
import { PUBLIC_UIDS } from '../../content/model/core';

/** The content manager's "open a record in the edit view" route. */
const OPEN_ROUTE = 'collection-types.findOne';

type Params = { documentId?: string; locale?: string; status?: string; data?: Record<string, unknown> };
type Row = Record<string, unknown> & {
  updatedAt?: string | Date;
  updatedBy?: { firstname?: string; lastname?: string; email?: string } | null;
};

const time = (value: unknown) => (value ? new Date(value as string).getTime() : null);

/**
 * Two admin users saving the same record: opening a record in the edit view remembers what was
 * opened, for that user (in the core store, which every node shares); a save over a version saved
 * since then keeps the other person's changes (see ./core). Refused fields come back as form
 * errors: Strapi's admin reloads the record after a failed save, and form errors stay.
 */
export function registerEditConflictGuard(strapi: Core.Strapi): void {
  const guarded = new Set(PUBLIC_UIDS);
  const component = (uid: string) => strapi.components[uid as keyof typeof strapi.components].attributes as unknown as Attributes;
  const store = (userId: number | string) => strapi.store({ type: 'plugin', name: 'edit-conflicts', key: `opened-${userId}` });
  const opened = async (userId: number | string) => ((await store(userId).get()) as OpenedVersions | null) ?? {};

  strapi.documents.use(async (context, next) => {
    const user = currentAdminUser(strapi);
    if (!user || !guarded.has(context.uid) || !['findOne', 'update'].includes(context.action)) return next();
    const params = context.params as Params;
    const { documentId, locale = '' } = params;
    if (!documentId) return next();
    const attributes = strapi.contentType(context.uid).attributes as unknown as Attributes;
    const fields = comparedFields(attributes);
    const version = (row: Row | null): OpenedVersion => ({
      at: time(row?.updatedAt),
      fields: row ? fingerprints(row, fields, attributes, component) : {},
    });
    const record = async (row: Row | null) => {
      const key = versionKey(context.uid, documentId, locale);
      await store(user.id).set({ value: remember(await opened(user.id), key, version(row)) });
    };
    const storedDraft = async () =>
      (await strapi.db.query(context.uid).findOne({
        where: { documentId, publishedAt: null, ...(locale ? { locale } : {}) },
        populate: {
          updatedBy: { select: ['firstname', 'lastname', 'email'] },
          ...Object.fromEntries(fields.filter((name) => attributes[name].type === 'component').map((name) => [name, true])),
        },
      })) as Row | null;

    if (context.action === 'findOne') {
      const ctx = strapi.requestContext.get();
      const route = ctx?.state?.route as { handler?: string; info?: { pluginName?: string } } | undefined;
      const result = await next();
      const opening =
        ctx?.method === 'GET' &&
        route?.handler === OPEN_ROUTE &&
        route.info?.pluginName === 'content-manager' &&
        params.status !== 'published';
      if (opening) await record(result as Row | null);
      return result;
    }

    const data = params.data ?? {};
    const stored = await storedDraft();
    const sentFields = fields.filter((name) => name in data);
    const resolution = resolve(
      (await opened(user.id))[versionKey(context.uid, documentId, locale)],
      stored && version(stored),
      fingerprints(data, sentFields, attributes, component),
    );
    if (resolution.write === 'refused') {
      const by = [stored?.updatedBy?.firstname, stored?.updatedBy?.lastname].filter(Boolean).join(' ') || stored?.updatedBy?.email;
      const labels = resolution.clashes.map((name) => fieldTexts(FIELD_GUIDE, context.uid, name)?.label ?? { it: name, en: name });
      throw new errors.ValidationError(conflictMessage({ by, at: time(stored!.updatedAt)! }, labels), {
        errors: resolution.clashes.map((name) => ({ path: [name], message: yourVersion(data[name]), name: 'ValidationError' })),
      });
    }
    if (resolution.write === 'merged') {
      params.data = Object.fromEntries(Object.entries(data).filter(([name]) => !resolution.unchanged.includes(name)));
    }
    const result = await next();
    await record(await storedDraft());
    return result;
  });
}
