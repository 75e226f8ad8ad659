/**
 * Who may read what through the public (content) API. Pure: no Strapi here.
 */
import { PUBLIC_UIDS } from '../../content/model/core';

/** The only permissions the anonymous (public) role holds. */
export const publicReadActions = (): string[] => PUBLIC_UIDS.flatMap((uid) => [`${uid}.find`, `${uid}.findOne`]);

/** Strapi's API-token auth strategies (renamed to content-api-token in 5.x). */
const TOKEN_STRATEGIES = new Set(['api-token', 'content-api-token']);

interface RequestState {
  route?: { info?: { type?: string } };
  auth?: { strategy?: { name?: string } };
}

/**
 * A caller of the content API who is not an API token holder: anonymous partners and any
 * end-user account. Admin-panel and internal calls (no request, or an admin route) are not.
 */
export const isPublicCaller = (state: RequestState | undefined): boolean =>
  state?.route?.info?.type === 'content-api' && !TOKEN_STRATEGIES.has(String(state.auth?.strategy?.name));

export const DRAFTS_FORBIDDEN =
  'Drafts are not public. Only published content can be read without an API token; remove status: DRAFT (GraphQL) or status=draft (REST).';

/** The one wording of an unknown-locale refusal, whichever query meets it. */
export const unknownLocale = (locale: unknown, locales: readonly string[]): string =>
  `Unknown locale "${locale}". Available locales: ${locales.join(', ')}.`;

export type PublicRead =
  { params: { status: 'published'; [key: string]: unknown } } | { refusal: 'forbidden' | 'invalid'; message: string };

/**
 * What a public read may ask: published content only (asking for drafts is refused, not
 * silently answered), in one of the content locales (or '*' for all of them).
 */
export function publicRead(params: { status?: unknown; locale?: unknown }, locales: readonly string[]): PublicRead {
  if (params.status === 'draft') return { refusal: 'forbidden', message: DRAFTS_FORBIDDEN };
  const { locale } = params;
  if (locale !== undefined && locale !== null && locale !== '*' && !locales.includes(String(locale))) {
    return { refusal: 'invalid', message: unknownLocale(locale, locales) };
  }
  return { params: { ...params, status: 'published' } };
}
