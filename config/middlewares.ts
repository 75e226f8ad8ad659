export default [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::query',
  'global::rest-pagination',
  'strapi::body',
  'global::response-cache',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
