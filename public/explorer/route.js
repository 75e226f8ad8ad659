// Shareable addresses: the language in the query string, the page in the hash
// (?lang=en#/good-practices/<slug>, ?lang=it#/?q=rete&type=events&page=2).

import { LOCALES } from './i18n.js';

/** Types a record page exists for (the hash's first segment). */
export const RECORD_TYPES = ['good-practices', 'trainings', 'thematic-tables', 'events', 'outcomes', 'organizations'];
/** Types the search and the lists cover (the type filter). */
export const LIST_TYPES = ['good-practices', 'trainings', 'thematic-tables', 'events', 'outcomes', 'projects', 'organizations', 'people'];

/**
 * The server-rendered pages: `/{locale}/{type}/{slug}`, the type being the API's kebab-case
 * singular. Every record, organisation and person the explorer shows links there; this table is
 * the one place that knows the page names of the explorer's types.
 */
const PAGE_TYPE = {
  'good-practices': 'good-practice',
  trainings: 'training',
  'thematic-tables': 'thematic-table',
  events: 'event',
  outcomes: 'outcome',
  projects: 'project',
  organizations: 'organization',
  people: 'person',
  territories: 'territory',
  themes: 'theme',
};
export const pagePath = (lang, type, slug) => `/${lang}/${PAGE_TYPE[type]}/${encodeURIComponent(slug)}`;
/** The project's own statements (`/{locale}/about`...), beside the record pages. */
export const statementPath = (lang, statement) => `/${lang}/${statement}`;
/** Everything newly published and updated in a language (src/content/paths/core.ts: feedPath). */
export const feedPath = (lang) => `/feeds/${lang}.atom`;
const SEARCH_KEYS = ['q', 'type', 'theme', 'territory', 'group'];

/** The language asked for in the address, else the reader's browser language if we have it, else Italian. */
export function pickLang(search, browserLanguages = []) {
  const asked = new URLSearchParams(search).get('lang');
  if (LOCALES.includes(asked)) return asked;
  const known = browserLanguages.map((tag) => tag.slice(0, 2).toLowerCase()).find((code) => LOCALES.includes(code));
  return known ?? LOCALES[0];
}

/** What the hash shows: the search (with its state), one record, or nothing we know. */
export function parseHash(hash) {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) {
    const params = new URLSearchParams(query);
    const state = Object.fromEntries(SEARCH_KEYS.map((key) => [key, (params.get(key) ?? '').trim()]));
    if (!LIST_TYPES.includes(state.type)) state.type = '';
    const page = Number.parseInt(params.get('page') ?? '1', 10);
    return { view: 'search', ...state, page: Number.isFinite(page) && page > 0 ? page : 1 };
  }
  if (parts.length === 2 && RECORD_TYPES.includes(parts[0])) return { view: 'record', type: parts[0], slug: decodeURIComponent(parts[1]) };
  return { view: 'not-found' };
}

/** The hash of a search state; empty values and page 1 are left out so that addresses stay short. */
export function searchHash(state) {
  const params = new URLSearchParams();
  for (const key of SEARCH_KEYS) if (state[key]) params.set(key, state[key]);
  if (state.page > 1) params.set('page', String(state.page));
  const query = params.toString();
  return query ? `#/?${query}` : '#/';
}

export const recordHash = (type, slug) => `#/${type}/${encodeURIComponent(slug)}`;

/** A link within the explorer: the language always travels with it. */
export const href = (lang, hash) => `?lang=${lang}${hash}`;
