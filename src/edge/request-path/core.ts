import { FEEDS_ROOT } from '../../content/paths/core';

/**
 * The path of a request as the router sees it. Strapi's router matches paths case-insensitively
 * and with or without a trailing slash, so `/GRAPHQL` and `/API/themes/` are served like
 * `/graphql` and `/api/themes`; a protection that compared the raw path was skipped by a
 * different spelling. Every edge protection (rate limits, body limits, the response cache, CORS)
 * reads this one form. It also decodes percent-encoding and merges duplicate slashes: spellings
 * the router does not serve today are protected all the same, whatever a later router does. Pure.
 */
export function routerPath(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // Malformed encoding: the router sees the raw text as well.
  }
  const merged = decoded.replace(/\/{2,}/g, '/').toLowerCase();
  return merged.length > 1 ? merged.replace(/\/+$/, '') || '/' : merged;
}

/** Which public API a path is: GraphQL, the REST content API, the open-data files, the Atom feeds; null for anything else. */
export function publicApi(path: string, graphqlEndpoint: string): 'graphql' | 'rest' | 'open-data' | 'feeds' | null {
  const seen = routerPath(path);
  if (seen === routerPath(graphqlEndpoint)) return 'graphql';
  if (seen.startsWith('/api/')) return 'rest';
  if (seen === '/open-data' || seen.startsWith('/open-data/')) return 'open-data';
  if (seen === FEEDS_ROOT || seen.startsWith(`${FEEDS_ROOT}/`)) return 'feeds';
  return null;
}

/** Whether a request is for the GraphQL endpoint, however its path is spelled. */
export const isGraphqlPath = (path: string, graphqlEndpoint: string): boolean => routerPath(path) === routerPath(graphqlEndpoint);
