/**
 * A record has one slug in all its languages: partner sites address it by slug and switch
 * language on the same slug. Strapi treats every uid field as per-language, so the admin gives a
 * new language version a slug of its own (a placeholder, or one made from the translated title).
 * Pure: no Strapi here.
 */
export const SLUG_CHANGE_REFUSED =
  "L'identificativo (slug) è lo stesso in tutte le lingue e i siti partner lo usano come indirizzo: non si cambia in una sola lingua. — " +
  'The identifier (slug) is the same in every language and partner sites use it as an address: it cannot change in one language only.';

export interface SlugWrite {
  /** The slug the write sends; undefined when it leaves it alone. */
  sent?: string;
  /** This language version's slug; undefined when the write creates the version. */
  own?: string;
  /** The slug of another language version of the record; undefined when there is none. */
  other?: string;
}

/** The slug a write must store, a refusal, or null to let it through as it is. */
export function sharedSlug({ sent, own, other }: SlugWrite): { slug: string } | { refusal: string } | null {
  if (other === undefined) return null;
  if (own === undefined) return { slug: other };
  return sent !== undefined && sent !== own ? { refusal: SLUG_CHANGE_REFUSED } : null;
}
