import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DATE_RANGES, dateRangeErrors, touchedRangeFields } from './core';
import { PUBLIC_UIDS } from '../../content/model/core';

/**
 * Cross-field validation that schema.json cannot express (an end date before its start),
 * enforced in the document service so the admin, REST, GraphQL and scripts all get it.
 */
export function registerDateRangeValidation(strapi: Core.Strapi): void {
  const checked = new Set(PUBLIC_UIDS);
  strapi.documents.use(async (context, next) => {
    if (!checked.has(context.uid) || !['create', 'update'].includes(context.action)) return next();
    const params = context.params as { documentId?: string; locale?: string; data?: Record<string, unknown> };
    if (touchedRangeFields(params.data).length === 0) return next();

    const attributes = strapi.contentType(context.uid).attributes;
    const stored =
      context.action === 'update' && params.documentId
        ? await strapi.db.query(context.uid).findOne({
            where: { documentId: params.documentId, publishedAt: null },
            select: DATE_RANGES.flat().filter((field) => field in attributes),
          })
        : null;
    const problems = dateRangeErrors({ ...stored, ...params.data }, attributes);
    if (problems.length) {
      throw new errors.ValidationError(problems.map((p) => p.message).join(' '), {
        errors: problems.map((p) => ({ path: [p.path], message: p.message, name: 'ValidationError' })),
      });
    }
    return next();
  });
}
