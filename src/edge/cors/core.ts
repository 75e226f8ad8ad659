/**
 * Who may call this server from a web page of another origin. Pure.
 *
 * Anonymous reads of the public API (GraphQL, GET on the REST content API, the open-data files
 * and the Atom feeds) are meant for partner sites anywhere: any origin, but never with credentials. Anything
 * that carries credentials (an Authorization header, cookies) and every other route (the admin,
 * uploads, writes) is allowed only from the configured origins (CORS_ORIGINS), which also get
 * credentials.
 */
import { publicApi } from '../request-path/core';

export interface CorsRequest {
  method: string;
  path: string;
  header: (name: string) => string;
}

/** Public reads, however the path is spelled (the router ignores case and a trailing slash). */
function isPublicRead(method: string, path: string, graphqlEndpoint: string): boolean {
  const api = publicApi(path, graphqlEndpoint);
  if (api === 'graphql') return method === 'GET' || method === 'POST';
  return api !== null && (method === 'GET' || method === 'HEAD');
}

/** A request that may be answered to any origin: a public read without credentials. */
export function isAnonymousRead(request: CorsRequest, graphqlEndpoint: string): boolean {
  const preflight = request.method === 'OPTIONS';
  const method = preflight ? request.header('access-control-request-method').toUpperCase() : request.method;
  const credentials = preflight
    ? /(^|,)\s*authorization\s*(,|$)/i.test(request.header('access-control-request-headers'))
    : Boolean(request.header('authorization') || request.header('cookie'));
  return !credentials && isPublicRead(method, request.path, graphqlEndpoint);
}

/** CORS_ORIGINS as a list of origins (scheme://host[:port]); the server's own URL by default. */
export function corsOrigins(configured: string | undefined, ownUrl: string): string[] {
  const list = (configured ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  for (const origin of list) {
    if (origin === '*') throw new Error('CORS_ORIGINS may not be "*": list the origins of the admin and of trusted tools.');
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new Error(`CORS_ORIGINS: "${origin}" is not an origin (scheme://host[:port]).`);
  }
  return list.length ? list : [ownUrl.replace(/\/+$/, '')];
}
