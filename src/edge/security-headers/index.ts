import type { Core } from '@strapi/strapi';
import { KeptHeaders, headersSet, holdsFunction } from './core';

/** Distinct method and path pairs whose headers are kept (the API's few hot paths come first). */
const KEPT_KINDS = 500;

type Middleware = (ctx: any, next: () => Promise<unknown>) => unknown;

/**
 * Strapi's security headers (strapi::security: Content-Security-Policy, X-Frame-Options, …),
 * without building them for every request. strapi::security merges its defaults into the
 * configuration and builds a new helmet for each request (about 5 % of an uncached GraphQL read,
 * more of a cached one); what it sets depends on the request's method and path alone (its
 * exceptions are for GET requests of some paths). Extended through Strapi's middleware registry:
 * the first request of each method and path goes through it, the headers it set are kept, and the
 * next ones of that method and path get the same headers.
 */
export function registerSecurityHeaders(strapi: Core.Strapi): void {
  strapi
    .get('middlewares')
    .extend('strapi::security', (security: (config: unknown, context: { strapi: Core.Strapi }) => Middleware) => (config, context) => {
      const run = security(config, context);
      // A policy computed per request (a CSP nonce function in the configuration) is never replayed.
      if (holdsFunction(config)) return run;
      const kept = new KeptHeaders(KEPT_KINDS);
      return (ctx, next) => {
        const kind = `${ctx.method} ${ctx.path}`;
        const headers = kept.get(kind);
        if (headers) {
          for (const [name, value] of headers) ctx.set(name, value);
          return next();
        }
        const before = { ...ctx.response.headers };
        return run(ctx, () => {
          kept.keep(kind, headersSet(before, ctx.response.headers));
          return next();
        });
      };
    });
}
