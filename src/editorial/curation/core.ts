/**
 * The curation of a good practice: submitted → in review → validated, moved by reviewers only,
 * one step at a time; a validation holds for the content it saw (any change sends the practice
 * back to review); only a validated practice, as validated, is published. Beside the steps,
 * "from the source, not reviewed": a practice written by the seed (or an integration) from its
 * source and published as written, without claiming a review; an edit makes it an editor's
 * submission. Pure: no Strapi here.
 */
import { createHash } from 'crypto';

export const GOOD_PRACTICE = 'api::good-practice.good-practice';

export const CURATION_STEPS = ['submitted', 'in_review', 'validated'] as const;
/** Recorded from the source by the seed or an integration, never reviewed; no admin user sets it. */
export const FROM_SOURCE = 'from_source';
export type CurationStatus = (typeof CURATION_STEPS)[number] | typeof FROM_SOURCE;

/** The statuses that vouch for a content (a review, or the source as written): what may be published, as it was vouched for. */
const PUBLISHABLE: readonly unknown[] = ['validated', FROM_SOURCE];
export const isPublishable = (status: unknown): boolean => PUBLISHABLE.includes(status);

/** A new practice starts here (the schema's default). */
export const FIRST_STEP: CurationStatus = 'submitted';

const NAMES: Record<CurationStatus, { it: string; en: string }> = {
  submitted: { it: 'inviata', en: 'submitted' },
  in_review: { it: 'in revisione', en: 'in review' },
  validated: { it: 'validata', en: 'validated' },
  from_source: { it: 'dalla fonte, non revisionata', en: 'from the source, not reviewed' },
};
const it = (status: CurationStatus) => `«${NAMES[status].it}»`;
const en = (status: CurationStatus) => `"${NAMES[status].en}"`;

const isStatus = (value: unknown): value is CurationStatus =>
  value === FROM_SOURCE || CURATION_STEPS.includes(value as (typeof CURATION_STEPS)[number]);
// Where a status stands on the way to validation: a practice from the source has not been reviewed yet.
const rank = (status: CurationStatus) => (status === FROM_SOURCE ? 0 : CURATION_STEPS.indexOf(status));

/** Why a practice in this curation status cannot be published; null when it can. */
export function publishRefusal(status: unknown): string | null {
  if (isPublishable(status)) return null;
  const current = isStatus(status) ? status : FIRST_STEP;
  return (
    `Questa buona pratica non si può ancora pubblicare: la revisione non è conclusa (stato della revisione: ${it(current)}). ` +
    `Un revisore deve prima portarla a ${it('validated')}. — ` +
    `This good practice cannot be published yet: its review is not finished (curation status: ${en(current)}). ` +
    `A reviewer must first set it to ${en('validated')}.`
  );
}

export const SOURCE_ONLY =
  'Lo stato «dalla fonte, non revisionata» lo assegna solo il caricamento dei dati dalla fonte: scegli un altro stato. — ' +
  'Only loading data from its source sets the status "from the source, not reviewed": choose another status.';

export const REVIEWERS_ONLY =
  'Solo un revisore può cambiare lo stato della revisione e la nota del revisore: salva senza toccarli e chiedi a un revisore. — ' +
  'Only a reviewer can change the curation status and the reviewer note: save without touching them and ask a reviewer.';

export interface CurationChange {
  /** The stored status; undefined for a new practice. */
  from?: unknown;
  /** The status being written; undefined when the write leaves it alone. */
  to?: unknown;
  noteChanged: boolean;
  reviewer: boolean;
}

/** Why an admin user may not make this change to the curation; null when they may. */
export function curationChangeRefusal({ from, to, noteChanged, reviewer }: CurationChange): string | null {
  const before = isStatus(from) ? from : FIRST_STEP;
  const statusChanged = to !== undefined && to !== null && to !== before;
  if (!statusChanged && !noteChanged) return null;
  if (!reviewer) return REVIEWERS_ONLY;
  if (!statusChanged || !isStatus(to)) return null;
  if (to === FROM_SOURCE) return SOURCE_ONLY;
  const next = CURATION_STEPS[rank(before) + 1];
  // Backwards (sending a practice back to its authors) any number of steps; forwards one at a time.
  if (rank(to) <= rank(before) || to === next) return null;
  return (
    `Lo stato della revisione avanza un passo alla volta: da ${it(before)} si passa a ${it(next)}, non a ${it(to)}. — ` +
    `The curation status moves one step at a time: after ${en(before)} comes ${en(next)}, not ${en(to)}.`
  );
}

/** Empty text and no text are the same note (the admin sends either). */
export const sameNote = (a: unknown, b: unknown): boolean => (a || null) === (b || null);

/**
 * What a validation vouches for: every field of every language version of the practice's draft,
 * its components, and the relations and media it links (by documentId), all but the curation
 * itself and bookkeeping. Two drafts with the same fingerprint read the same to a reviewer.
 */
const NOT_CONTENT = new Set([
  'curationStatus',
  'reviewerNote',
  'id',
  'documentId',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'createdBy',
  'updatedBy',
  'localizations',
]);

export interface ContentAttribute {
  type: string;
}

/** The attributes a fingerprint covers, and how to load each one. */
export function fingerprintPopulate(attributes: Record<string, ContentAttribute>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(attributes)
      .filter(([name, attribute]) => !NOT_CONTENT.has(name) && ['relation', 'media', 'component', 'dynamiczone'].includes(attribute.type))
      .map(([name, attribute]) => [name, attribute.type === 'relation' || attribute.type === 'media' ? { select: ['documentId'] } : true]),
  );
}

const withoutIds = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'id')
        .map(([key, v]) => [key, withoutIds(v)]),
    );
  }
  return value;
};

export function contentFingerprint(drafts: Record<string, unknown>[], attributes: Record<string, ContentAttribute>): string {
  const linked = (value: unknown) =>
    Array.isArray(value)
      ? value.map(linked)
      : value && typeof value === 'object'
        ? ((value as { documentId?: unknown }).documentId ?? null)
        : null;
  const content = [...drafts]
    .sort((a, b) => String(a.locale).localeCompare(String(b.locale)))
    .map((draft) =>
      Object.entries(attributes)
        .filter(([name]) => !NOT_CONTENT.has(name))
        .map(([name, attribute]) => [
          name,
          attribute.type === 'relation' || attribute.type === 'media' ? linked(draft[name]) : withoutIds(draft[name] ?? null),
        ]),
    );
  return createHash('sha256').update(JSON.stringify(content)).digest('base64url');
}

/**
 * What a write leaves of a validation (or of a practice recorded from its source): a new one, a
 * practice sent back to review, or nothing to do.
 */
export function validationAfterWrite({
  status,
  validating,
  fingerprint,
  validated,
}: {
  /** The stored curation status after the write. */
  status: unknown;
  /** The write set the status to validated (or from the source), by someone who may (a reviewer, an integration, a script). */
  validating: boolean;
  fingerprint: string;
  /** The fingerprint of the content last validated (null: none recorded). */
  validated: string | null;
}): 'record' | 'back-to-review' | null {
  if (!isPublishable(status)) return null;
  if (validating) return 'record';
  return fingerprint === validated ? null : 'back-to-review';
}

/** Where a changed practice goes: a validated one back to review; one from the source, never reviewed, to its first step. */
export const afterChange = (status: unknown): CurationStatus => (status === FROM_SOURCE ? FIRST_STEP : 'in_review');

export const CHANGED_SINCE_VALIDATION =
  'Questa buona pratica è cambiata dopo la validazione (o dopo la registrazione dalla fonte): un revisore deve validare il testo attuale prima della pubblicazione. — ' +
  'This good practice changed after it was validated (or recorded from its source): a reviewer must validate the current text before it is published.';
