import type { StrapiApp } from '@strapi/strapi/admin';
import branding from '../../data/admin/branding.json';
import strapiItalian from '../../data/admin/strapi-it.json';
import { FIELD_GUIDE } from '../content/labels/core';
import { CONTENT_LOCALES } from '../content/locales/core';
import {
  STORED_LANGUAGE,
  adminTranslations,
  codeName,
  englishTexts,
  layoutInLanguage,
  type EditViewLayout,
} from '../editorial/field-guide/core';
import logo from './extensions/logo.svg';

const english = englishTexts(FIELD_GUIDE);
const translations = adminTranslations(FIELD_GUIDE);
/** Where Strapi's admin keeps the language each person picked (login page or profile). */
const ADMIN_LANGUAGE_KEY = 'strapi-admin-language';
const adminLanguage = () => window.localStorage.getItem(ADMIN_LANGUAGE_KEY) ?? STORED_LANGUAGE;

/** What Strapi's admin puts on `window.strapi` before it runs `register` (typed by Strapi as the server's). */
const admin = () =>
  (window as unknown as { strapi: { backendURL: string; featureFlags: { isEnabled: (flag: string) => boolean } } }).strapi;

interface ListHeader {
  name: string;
  attribute?: { type?: string };
  cellFormatter?: (row: Record<string, unknown>, header: ListHeader, context: { model: string }) => unknown;
}

export default {
  config: {
    // Editors work in Italian and English; each picks the admin language at login or in their profile.
    locales: ['it', 'en'],
    // Field labels, type names and codes' names, which Strapi translates by id (help texts are
    // swapped below), Italian for the Strapi strings on the editors' path that its translation
    // lacks, and the project's name where Strapi shows its own.
    translations: {
      it: { ...strapiItalian.messages, ...translations.it, ...branding.messages.it },
      en: { ...translations.en, ...branding.messages.en },
    },
    auth: { logo },
    menu: { logo },
    // No calls to GitHub for release news: the admin must work with no outside network.
    notifications: { releases: false },
    tutorials: false,
  },
  register() {
    // Strapi's admin opens in English unless the browser already holds a choice (made on the login
    // page or in the profile): on a first visit, it opens in Italian.
    if (!window.localStorage.getItem(ADMIN_LANGUAGE_KEY)) window.localStorage.setItem(ADMIN_LANGUAGE_KEY, STORED_LANGUAGE);
    // Strapi's guided tour (for whoever builds content types, which editors never do) and its
    // announcement of the new media library keep their state in the browser and have no switch of
    // their own: they start skipped and dismissed. An editor can still start the tour from the profile.
    if (!window.localStorage.getItem('STRAPI_GUIDED_TOUR'))
      window.localStorage.setItem('STRAPI_GUIDED_TOUR', JSON.stringify({ enabled: false }));
    const legacyMediaLibrary = admin().featureFlags.isEnabled('useLegacyMediaLibrary');
    // The announcement's state is kept per Strapi instance: `uuid` of /admin/init names it.
    void fetch(`${admin().backendURL}/admin/init`)
      .then((res) => res.json())
      .then(({ data }: { data: { uuid: unknown } }) =>
        window.localStorage.setItem(`STRAPI_MEDIA_LIBRARY_BANNER_DISMISSED_FOR_${legacyMediaLibrary}:${data.uuid}`, 'true'),
      );
  },
  bootstrap(app: StrapiApp) {
    // The edit view shows the stored (Italian) labels and help texts as they are; in any other
    // admin language, show the field guide's English ones.
    app.registerHook('Admin/CM/pages/EditView/mutate-edit-view-layout', ({ layout, ...rest }: { layout: EditViewLayout }) => ({
      ...rest,
      layout: layoutInLanguage(layout, adminLanguage(), english),
    }));
    // List views show a coded field by the name of its code, dates short (Strapi writes them out
    // in full, weekday and time) and a record's languages by their names (Strapi's i18n column lists
    // its content locales' full names, "(default)" included): else a list runs past a laptop's screen.
    const cell = (text: string) => <span>{text}</span>;
    const day = (value: unknown) =>
      value ? new Intl.DateTimeFormat(adminLanguage(), { dateStyle: 'medium' }).format(new Date(String(value))) : '-';
    const languages = (row: Record<string, unknown>) => {
      const codes = [row.locale, ...((row.localizations as { locale: string }[] | undefined) ?? []).map(({ locale }) => locale)];
      const names = new Intl.DisplayNames([adminLanguage()], { type: 'language' });
      return cell(
        CONTENT_LOCALES.filter(({ code }) => codes.includes(code))
          .map(({ code }) => names.of(code))
          .join(', '),
      );
    };
    const formatters: Record<string, ListHeader['cellFormatter']> = {
      enumeration: (row, { name }, { model }) =>
        cell(row[name] == null ? '-' : codeName(FIELD_GUIDE, model, name, row[name], adminLanguage())),
      date: (row, { name }) => cell(day(row[name] && `${row[name]}T00:00`)),
      datetime: (row, { name }) => cell(day(row[name])),
    };
    app.registerHook(
      'Admin/CM/pages/ListView/inject-column-in-table',
      ({ displayedHeaders, layout }: { displayedHeaders: ListHeader[]; layout: unknown }) => ({
        layout,
        displayedHeaders: displayedHeaders.map((header) => {
          // The i18n plugin's column of languages.
          if (header.cellFormatter) return header.name === 'locales' ? { ...header, cellFormatter: languages } : header;
          const cellFormatter = formatters[header.attribute?.type ?? ''];
          return cellFormatter ? { ...header, cellFormatter } : header;
        }),
      }),
    );
  },
};
