import { corsOrigins, isAnonymousRead } from './core';

type Env = { (name: string, fallback?: string): string; int: (name: string, fallback: number) => number };

/**
 * Configuration of strapi::cors (config/middlewares.ts) from CORS_ORIGINS: any origin for
 * anonymous public reads, credentials only for the listed origins (src/edge/cors/core).
 */
export function corsConfig(env: Env) {
  const ownUrl = env('PUBLIC_URL', '') || `http://localhost:${env.int('PORT', 1337)}`;
  const listed = corsOrigins(env('CORS_ORIGINS', ''), ownUrl);
  const graphqlEndpoint = '/graphql';
  const fromListed = (ctx: any) => listed.includes(ctx.get('origin'));
  return {
    name: 'strapi::cors',
    config: {
      origin: (ctx: any) =>
        fromListed(ctx) || !isAnonymousRead({ method: ctx.method, path: ctx.path, header: (n) => ctx.get(n) }, graphqlEndpoint)
          ? listed
          : ['*'],
      credentials: fromListed,
      // What standard clients send: conditional requests (If-None-Match, If-Modified-Since) and
      // Apollo Client's name and version headers, so that their preflight passes.
      headers: [
        'Content-Type',
        'Authorization',
        'Origin',
        'Accept',
        'X-Request-Id',
        'If-None-Match',
        'If-Modified-Since',
        'apollographql-client-name',
        'apollographql-client-version',
      ],
      expose: ['X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'ETag', 'X-Cache'],
      maxAge: 86400,
    },
  };
}
