/** Content locales: Italian first (the default), English second. The one list of them. */
export const CONTENT_LOCALES = [
  { code: 'it', name: 'Italian (it)' },
  { code: 'en', name: 'English (en)' },
] as const;

/** A content locale's code: every locale-keyed text, stemmer and file name uses this type. */
export type Locale = (typeof CONTENT_LOCALES)[number]['code'];
