import type { Core } from '@strapi/strapi';

import { CONTENT_LOCALES } from './core';

/** Creates the content locales that are missing and makes Italian the default; idempotent. */
export async function ensureContentLocales(strapi: Core.Strapi): Promise<void> {
  const locales = strapi.plugin('i18n').service('locales');
  for (const { code, name } of CONTENT_LOCALES) {
    if (!(await locales.findByCode(code))) await locales.create({ code, name });
  }
  if ((await locales.getDefaultLocale()) !== CONTENT_LOCALES[0].code) {
    await locales.setDefaultLocale({ code: CONTENT_LOCALES[0].code });
  }
}
