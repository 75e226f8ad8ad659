import type { Core } from '@strapi/strapi';
import { PREVIEW_PATH, draftUrl, previewKey, publishedUrl, verifyDraftUrl } from './core';
import { CONTENT_LOCALES } from '../../content/locales/core';
import { PUBLIC_UIDS } from '../../content/model/core';

const pluralOf = (uid: string) => strapi.contentType(uid as any).info.pluralName;
const key = () => previewKey(strapi.config.get('admin.auth.secret') as string);

/**
 * The admin's preview handler (config/admin.ts): the address that shows a record as a partner
 * site gets it. When the partner explorer page exists, this is where it will point instead.
 */
export function previewUrl(
  uid: string,
  { documentId, locale, status }: { documentId: string; locale?: string | null; status?: string | null },
): string | undefined {
  if (!PUBLIC_UIDS.includes(uid)) return undefined;
  const target = { plural: pluralOf(uid), documentId, locale: locale || CONTENT_LOCALES[0].code };
  return status === 'published' ? publishedUrl(target) : draftUrl(key(), target, Date.now());
}

/** Serves signed draft previews: the draft in the public API's shape, private fields left out. */
export function registerDraftPreview(strapi: Core.Strapi): void {
  const uidOf = new Map(PUBLIC_UIDS.map((uid) => [pluralOf(uid), uid]));
  strapi.server.routes([
    {
      method: 'GET',
      path: `${PREVIEW_PATH}/:plural/:documentId`,
      config: { auth: false },
      handler: async (ctx) => {
        const { plural, documentId } = ctx.params as { plural: string; documentId: string };
        const { locale, expires, signature } = ctx.query as Record<string, string | undefined>;
        const uid = uidOf.get(plural);
        if (!uid || !locale) return ctx.notFound('No such preview.');
        ctx.set('Cache-Control', 'no-store');
        ctx.set('X-Robots-Tag', 'noindex');
        const verdict = verifyDraftUrl(key(), { plural, documentId, locale }, expires, signature, Date.now());
        if (verdict === 'expired') return ctx.forbidden('This preview link has expired: open the preview again from the admin panel.');
        if (verdict === 'forged') return ctx.forbidden('This is not a valid preview link.');
        const draft = await strapi.documents(uid as any).findOne({ documentId, locale, status: 'draft', populate: '*' } as any);
        if (!draft) return ctx.notFound('No draft in this locale.');
        const data = await strapi.contentAPI.sanitize.output(draft, strapi.getModel(uid as any), {});
        // Indented: this one is read by people, in the admin's preview pane.
        ctx.type = 'application/json';
        ctx.body = JSON.stringify({ data, meta: { preview: { status: 'draft', locale } } }, null, 2);
      },
    },
  ]);
}
