import type { StrapiApp } from '@strapi/strapi/admin';

export default {
  config: {
    // Editors work in Italian and English; each picks the admin language in their profile.
    locales: ['it'],
    // No calls to GitHub for release news: the admin must work with no outside network.
    notifications: { releases: false },
    tutorials: false,
  },
  bootstrap(_app: StrapiApp) {},
};
