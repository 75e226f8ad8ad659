import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { currentAdminUser } from '../roles';
import { isReviewer } from '../roles/core';
import {
  CHANGED_SINCE_VALIDATION,
  afterChange,
  GOOD_PRACTICE,
  contentFingerprint,
  curationChangeRefusal,
  fingerprintPopulate,
  isPublishable,
  publishRefusal,
  sameNote,
  validationAfterWrite,
  type ContentAttribute,
} from './core';

type Params = { documentId?: string; status?: string; data?: { curationStatus?: unknown; reviewerNote?: unknown } };

const refuse = (message: string, field: string) =>
  new errors.ValidationError(message, { errors: [{ path: [field], message, name: 'ValidationError' }] });

/**
 * The curation gate, in the document service so that the admin, REST, GraphQL and scripts all
 * meet it: a good practice is published only once validated, and only as validated; in the
 * admin only reviewers move its curation (API tokens are integrations, trusted to write it).
 * A validation records the fingerprint of the content it saw (in the core store, shared by every
 * node); a later write that changes the content without validating it again sends the practice
 * back to review, and publishing compares the draft with that fingerprint, which also catches
 * changes made from elsewhere (a theme linking the practice). Integrations (API tokens) and
 * scripts are trusted like reviewers, as they were trusted to write the curation before: their
 * writes keep a validated practice validated, and cannot validate one in review unless they say so.
 */
export function registerCurationGate(strapi: Core.Strapi): void {
  const storedDraft = (documentId: string) =>
    strapi.db.query(GOOD_PRACTICE).findOne({ where: { documentId, publishedAt: null }, select: ['curationStatus', 'reviewerNote'] });
  const attributes = () => strapi.contentType(GOOD_PRACTICE).attributes as unknown as Record<string, ContentAttribute>;
  const fingerprint = async (documentId: string) =>
    contentFingerprint(
      await strapi.db
        .query(GOOD_PRACTICE)
        .findMany({ where: { documentId, publishedAt: null }, populate: fingerprintPopulate(attributes()) }),
      attributes(),
    );
  const validation = (documentId: string) => strapi.store({ type: 'plugin', name: 'curation', key: `validated-${documentId}` });
  const validatedFingerprint = async (documentId: string) => ((await validation(documentId).get()) as string | null) ?? null;

  /** After a write: records a validation, or sends a changed practice back to review. Returns the status now stored. */
  const settle = async (documentId: string, validating: boolean): Promise<unknown> => {
    const status = (await storedDraft(documentId))?.curationStatus;
    if (!isPublishable(status)) return status;
    const now = await fingerprint(documentId);
    const outcome = validationAfterWrite({ status, validating, fingerprint: now, validated: await validatedFingerprint(documentId) });
    if (outcome === 'record') await validation(documentId).set({ value: now });
    if (outcome !== 'back-to-review') return status;
    // curationStatus is shared by all language versions: every draft row goes back.
    const back = afterChange(status);
    await strapi.db.query(GOOD_PRACTICE).updateMany({ where: { documentId, publishedAt: null }, data: { curationStatus: back } });
    return back;
  };

  strapi.documents.use(async (context, next) => {
    if (context.uid !== GOOD_PRACTICE) return next();
    const params = context.params as Params;
    const user = currentAdminUser(strapi);
    const writing = (context.action === 'create' || context.action === 'update') && Boolean(params.data);

    if (user && writing && params.data) {
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

    const publishing = context.action === 'publish' || (writing && params.status === 'published');
    if (!writing && !publishing) return next();
    // Checked after the write, inside its transaction: what counts is the stored curation (after a
    // partial update, or the default) and the stored content, any other refusal (a missing field)
    // is reported first, and a refusal undoes the whole write.
    return strapi.db.transaction(async () => {
      const result = await next();
      const documentId = params.documentId ?? (result as { documentId?: string } | null)?.documentId;
      if (!documentId) return result;
      let status: unknown;
      if (writing) {
        // Who vouches for what this write leaves: in the admin, a reviewer who sets the practice
        // validated; integrations (API tokens) and scripts on the server, trusted to write the
        // curation, vouch for what they write (the seed for the source it copies: from_source).
        // An editor never does.
        const validating = user ? params.data?.curationStatus === 'validated' && isReviewer(user.roles) : true;
        status = await settle(documentId, validating);
        // The admin shows the saved record as returned: it must show the practice back in review.
        if (result && typeof result === 'object' && 'curationStatus' in result)
          (result as unknown as { curationStatus: unknown }).curationStatus = status;
      }
      if (!publishing) return result;
      // What was validated (if anything) is compared first: a practice sent back to review by a
      // change is refused for that change, which says more than "in review".
      const validated = await validatedFingerprint(documentId);
      if (validated !== null && (await fingerprint(documentId)) !== validated) throw refuse(CHANGED_SINCE_VALIDATION, 'curationStatus');
      const refusal = publishRefusal(writing ? status : (await storedDraft(documentId))?.curationStatus);
      if (refusal) throw refuse(refusal, 'curationStatus');
      // Validated before validations were bound to content (or imported): nothing to compare with.
      if (validated === null) throw refuse(CHANGED_SINCE_VALIDATION, 'curationStatus');
      return result;
    });
  });
}
