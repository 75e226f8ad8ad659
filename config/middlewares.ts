export default ({ env }) => [
  // One line per request. In production the proxy's access log has it, and writing it cost about
  // a sixth of the CPU of a cached answer (profiled, see the README's benchmark section);
  // REQUEST_LOG=true brings it back.
  ...(env.bool('REQUEST_LOG', env('NODE_ENV') !== 'production') ? ['strapi::logger'] : []),
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  // As early as possible, after what protects (errors, security headers, CORS): a cached answer
  // skips everything below.
  'global::response-cache',
  'strapi::query',
  'global::rest-pagination',
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  'global::explorer-home',
  'strapi::public',
];
