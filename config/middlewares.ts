import { corsConfig } from '../src/edge/cors';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../src/edge/uploads/core';

/**
 * Every request passes these in order, and the answer comes back through them in reverse: each
 * one sees what those after it answered. `global::<name>` is src/middlewares/<name>.ts, a thin
 * adapter over a capability in src/edge or src/public-api; `strapi::<name>` is Strapi's own.
 */
export default ({ env }) => [
  // Every spelling of the GraphQL endpoint becomes the endpoint itself, before any protection
  // looks at the path (src/edge/request-path: the others compare the router's view of it).
  'global::request-path',
  // The client's address from trusted proxies, before anything logs or counts it.
  'global::client-ip',
  // One line per request. In production the proxy's access log has it, and writing it cost about
  // a sixth of the CPU of a cached answer (profiled, see the README's benchmark section);
  // REQUEST_LOG=true brings it back.
  ...(env.bool('REQUEST_LOG', env('NODE_ENV') !== 'production') ? ['strapi::logger'] : []),
  // Errors thrown below become Strapi's REST error answers (404 for what no route answered).
  'strapi::errors',
  // Inside strapi::errors: ids every request and masks internal errors (logged with the id).
  'global::request-id',
  // Inside request-id (faults of the server stay masked): Strapi's refusals on /graphql (a bad
  // token's 401, a body over the limit) in GraphQL's error shape (src/public-api/graphql-errors).
  'global::graphql-errors',
  // Security headers (Content-Security-Policy, X-Frame-Options, nosniff, …), built once per method
  // and path instead of for every request (src/edge/security-headers).
  'strapi::security',
  // Which origin may read what (src/edge/cors): anonymous reads from any origin, credentials and
  // the admin from CORS_ORIGINS; it answers preflights here.
  corsConfig(env),
  // After CORS (a partner's page can read its 429), before the response cache: a cached answer
  // is cheap but still counts.
  'global::rate-limit',
  // As early as possible, after what protects (errors, security headers, CORS, rate limits): a
  // cached answer skips everything below.
  'global::response-cache',
  // Right below it (a kept answer is kept from here too): the anonymous GraphQL requests whose
  // query Apollo has validated and direct reads answer, answered without the router, the route's
  // handlers and Apollo (src/public-api/direct-reads/requests.ts); anything else passes on.
  'global::direct-reads',
  // The query string parsed into nested objects (filters[title][$eq]=…) for REST.
  'strapi::query',
  // REST pagination and filter-value limits, 400s before Strapi's query builder sees them.
  'global::rest-limits',
  // Request bodies (JSON, forms, uploads) parsed within their size limits.
  {
    name: 'strapi::body',
    config: {
      formidable: { maxFileSize: env.int('UPLOAD_MAX_BYTES', DEFAULT_MAX_UPLOAD_BYTES) },
      // A body the parser cannot read (a multipart body without its boundary, …) is the
      // client's error: formidable knows its HTTP code, koa-body does not pass it on.
      onError: (error: any) => {
        error.status ??= error.httpCode ?? 400;
        throw error;
      },
    },
  },
  // After the body parser: an uploaded file's name, type and first bytes must agree (src/edge/uploads).
  'global::upload-check',
  // Sessions for the admin panel's login.
  'strapi::session',
  // /favicon.ico, answered before the static files are looked through.
  'strapi::favicon',
  // `/` is the partner explorer, handed to strapi::public as /index.html.
  'global::explorer-home',
  // Static files of public/ (the explorer, widget.js, robots.txt, uploads).
  'strapi::public',
];
