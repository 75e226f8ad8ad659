import type { StrapiApp } from '@strapi/strapi/admin';
import strapiItalian from '../../data/admin/strapi-it.json';
import { FIELD_GUIDE } from '../content/labels/core';
import { adminTranslations, englishTexts, layoutInLanguage, type EditViewLayout } from '../editorial/field-guide/core';

const english = englishTexts(FIELD_GUIDE);
const translations = adminTranslations(FIELD_GUIDE);
/** Where Strapi's admin keeps the language each person picked (login page or profile). */
const ADMIN_LANGUAGE_KEY = 'strapi-admin-language';

export default {
  config: {
    // Editors work in Italian and English; each picks the admin language at login or in their profile.
    locales: ['it', 'en'],
    // Field labels and type names, which Strapi translates by id (help texts are swapped below),
    // and Italian for the Strapi strings on the editors' path that its translation lacks.
    translations: { it: { ...strapiItalian.messages, ...translations.it }, en: translations.en },
    // No calls to GitHub for release news: the admin must work with no outside network.
    notifications: { releases: false },
    tutorials: false,
  },
  bootstrap(app: StrapiApp) {
    // The edit view shows the stored (Italian) labels and help texts as they are; in any other
    // admin language, show the field guide's English ones.
    app.registerHook('Admin/CM/pages/EditView/mutate-edit-view-layout', ({ layout, ...rest }: { layout: EditViewLayout }) => ({
      ...rest,
      layout: layoutInLanguage(layout, window.localStorage.getItem(ADMIN_LANGUAGE_KEY) ?? 'en', english),
    }));
  },
};
