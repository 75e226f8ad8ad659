import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { currentAdminUser } from '../roles';
import { isReviewer } from '../roles/core';
import { GOOD_PRACTICE, curationChangeRefusal, publishRefusal, sameNote } from './core';

type Params = { documentId?: string; status?: string; data?: { curationStatus?: unknown; reviewerNote?: unknown } };

const refuse = (message: string, field: string) =>
  new errors.ValidationError(message, { errors: [{ path: [field], message, name: 'ValidationError' }] });

/**
 * The curation gate, in the document service so that the admin, REST, GraphQL and scripts all
 * meet it: a good practice is published only once validated, and in the admin only reviewers
 * move its curation (API tokens are integrations, trusted to write it).
 */
export function registerCurationGate(strapi: Core.Strapi): void {
  const storedDraft = (documentId: string) =>
    strapi.db.query(GOOD_PRACTICE).findOne({ where: { documentId, publishedAt: null }, select: ['curationStatus', 'reviewerNote'] });

  strapi.documents.use(async (context, next) => {
    if (context.uid !== GOOD_PRACTICE) return next();
    const params = context.params as Params;
    const user = currentAdminUser(strapi);

    if (user && (context.action === 'create' || context.action === 'update') && params.data) {
      const { data } = params;
      if ('curationStatus' in data || 'reviewerNote' in data) {
        // curationStatus and reviewerNote are shared by all locales: any draft row tells.
        const stored = context.action === 'update' && params.documentId ? await storedDraft(params.documentId) : null;
        const refusal = curationChangeRefusal({
          from: stored?.curationStatus,
          to: data.curationStatus,
          noteChanged: 'reviewerNote' in data && !sameNote(data.reviewerNote, stored?.reviewerNote),
          reviewer: isReviewer(user.roles),
        });
        if (refusal) throw refuse(refusal, 'curationStatus');
      }
    }

    const publishing = context.action === 'publish' || (['create', 'update'].includes(context.action) && params.status === 'published');
    if (!publishing) return next();
    // Checked after the write, inside its transaction: what counts is the stored curation (after a
    // partial update, or the default), any other refusal (a missing field) is reported first, and
    // a refusal undoes the whole write.
    return strapi.db.transaction(async () => {
      const result = await next();
      const documentId = params.documentId ?? (result as { documentId?: string } | null)?.documentId;
      const refusal = documentId ? publishRefusal((await storedDraft(documentId))?.curationStatus) : null;
      if (refusal) throw refuse(refusal, 'curationStatus');
      return result;
    });
  });
}
