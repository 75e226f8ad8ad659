/**
 * The curation of a good practice: submitted → in review → validated, moved by reviewers only,
 * one step at a time; a validation holds for the content it saw (any change sends the practice
 * back to review); only a validated practice, as validated, is published. Pure: no Strapi here.
 */
import { createHash } from 'crypto';

export const GOOD_PRACTICE = 'api::good-practice.good-practice';

export const CURATION_STEPS = ['submitted', 'in_review', 'validated'] as const;
export type CurationStatus = (typeof CURATION_STEPS)[number];

/** A new practice starts here (the schema's default). */
export const FIRST_STEP: CurationStatus = 'submitted';

const NAMES: Record<CurationStatus, { it: string; en: string }> = {
  submitted: { it: 'inviata', en: 'submitted' },
  in_review: { it: 'in revisione', en: 'in review' },
  validated: { it: 'validata', en: 'validated' },
};
const it = (status: CurationStatus) => `«${NAMES[status].it}»`;
const en = (status: CurationStatus) => `"${NAMES[status].en}"`;

const isStep = (value: unknown): value is CurationStatus => CURATION_STEPS.includes(value as CurationStatus);

/** Why a practice in this curation status cannot be published; null when it can. */
export function publishRefusal(status: unknown): string | null {
  if (status === 'validated') return null;
  const current = isStep(status) ? status : FIRST_STEP;
  return (
    `Questa buona pratica non si può ancora pubblicare: la revisione non è conclusa (stato della revisione: ${it(current)}). ` +
    `Un revisore deve prima portarla a ${it('validated')}. — ` +
    `This good practice cannot be published yet: its review is not finished (curation status: ${en(current)}). ` +
    `A reviewer must first set it to ${en('validated')}.`
  );
}

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
  const before = isStep(from) ? from : FIRST_STEP;
  const statusChanged = to !== undefined && to !== null && to !== before;
  if (!statusChanged && !noteChanged) return null;
  if (!reviewer) return REVIEWERS_ONLY;
  if (!statusChanged || !isStep(to)) return null;
  const next = CURATION_STEPS[CURATION_STEPS.indexOf(before) + 1];
  // Backwards (sending a practice back to its authors) any number of steps; forwards one at a time.
  if (CURATION_STEPS.indexOf(to) <= CURATION_STEPS.indexOf(before) || to === next) return null;
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

/** What a write leaves of a validation: a new one, a practice sent back to review, or nothing to do. */
export function validationAfterWrite({
  status,
  validating,
  fingerprint,
  validated,
}: {
  /** The stored curation status after the write. */
  status: unknown;
  /** The write set the status to validated, by someone who may (a reviewer, an integration, a script). */
  validating: boolean;
  fingerprint: string;
  /** The fingerprint of the content last validated (null: none recorded). */
  validated: string | null;
}): 'record' | 'back-to-review' | null {
  if (status !== 'validated') return null;
  if (validating) return 'record';
  return fingerprint === validated ? null : 'back-to-review';
}

export const CHANGED_SINCE_VALIDATION =
  'Questa buona pratica è cambiata dopo la validazione: un revisore deve validare il testo attuale prima della pubblicazione. — ' +
  'This good practice changed after it was validated: a reviewer must validate the current text before it is published.';
