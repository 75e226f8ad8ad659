export default [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::query',
  'global::rest-pagination',
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  'global::explorer-home',
  'strapi::public',
];
