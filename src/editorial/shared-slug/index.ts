import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { sharedSlug } from './core';
import { PUBLIC_UIDS } from '../../content/model/core';

/**
 * Keeps one slug per record across languages, for every writer: a new language version takes
 * the record's slug, and a change of slug in one language only is refused.
 */
export function registerSharedSlug(strapi: Core.Strapi): void {
  const guarded = new Set(PUBLIC_UIDS);
  strapi.documents.use(async (context, next) => {
    const params = context.params as { documentId?: string; locale?: string; data?: { slug?: string } };
    if (context.action !== 'update' || !guarded.has(context.uid) || !params.documentId || !params.locale || !params.data) return next();
    const rows: { locale: string; slug: string }[] = await strapi.db
      .query(context.uid)
      .findMany({ where: { documentId: params.documentId, publishedAt: null }, select: ['locale', 'slug'] });
    const decision = sharedSlug({
      sent: params.data.slug,
      own: rows.find((row) => row.locale === params.locale)?.slug,
      other: rows.find((row) => row.locale !== params.locale)?.slug,
    });
    if (decision && 'refusal' in decision) {
      throw new errors.ValidationError(decision.refusal, {
        errors: [{ path: ['slug'], message: decision.refusal, name: 'ValidationError' }],
      });
    }
    if (decision && 'slug' in decision) params.data = { ...params.data, slug: decision.slug };
    return next();
  });
}
