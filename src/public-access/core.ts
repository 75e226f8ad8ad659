/**
 * Who may read what through the public (content) API. Pure: no Strapi here.
 */
export const PUBLIC_TYPES = [
  'project',
  'good-practice',
  'training',
  'thematic-table',
  'outcome',
  'event',
  'organization',
  'person',
  'territory',
  'theme',
] as const;

export const PUBLIC_UIDS = PUBLIC_TYPES.map((type) => `api::${type}.${type}`);

/** The only permissions the anonymous (public) role holds. */
export const publicReadActions = (): string[] =>
  PUBLIC_UIDS.flatMap((uid) => [`${uid}.find`, `${uid}.findOne`]);

export const READ_ACTIONS = new Set(['findMany', 'findFirst', 'findOne', 'count']);

interface RequestState {
  route?: { info?: { type?: string } };
  auth?: { strategy?: { name?: string } };
}

/**
 * A caller of the content API who is not an API token holder: anonymous partners and any
 * end-user account. Admin-panel and internal calls (no request, or an admin route) are not.
 */
export const isPublicCaller = (state: RequestState | undefined): boolean =>
  state?.route?.info?.type === 'content-api' && state.auth?.strategy?.name !== 'api-token';

export const DRAFTS_FORBIDDEN =
  'Drafts are not public. Only published content can be read without an API token; remove status: DRAFT (GraphQL) or status=draft (REST).';

/**
 * The status a public read must use: published, whatever was asked. Asking for drafts is refused.
 * Returns an error message instead of a status when the request must be refused.
 */
export function publicReadStatus(requested: unknown): { status: 'published' } | { error: string } {
  if (requested === 'draft') return { error: DRAFTS_FORBIDDEN };
  return { status: 'published' };
}
