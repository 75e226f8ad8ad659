import { corsConfig } from '../src/edge/cors';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../src/edge/uploads/core';

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
  'strapi::errors',
  // Inside strapi::errors: ids every request and masks internal errors (logged with the id).
  'global::request-id',
  'strapi::security',
  corsConfig(env),
  // After CORS (a partner's page can read its 429), before the response cache: a cached answer
  // is cheap but still counts.
  'global::rate-limit',
  // As early as possible, after what protects (errors, security headers, CORS, rate limits): a
  // cached answer skips everything below.
  'global::response-cache',
  'strapi::query',
  'global::rest-limits',
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
  'global::upload-check',
  'strapi::session',
  'strapi::favicon',
  'global::explorer-home',
  'strapi::public',
];
