/**
 * The curation of a good practice: submitted → in review → validated, moved by reviewers only,
 * one step at a time; only a validated practice is published. Pure: no Strapi here.
 */
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
