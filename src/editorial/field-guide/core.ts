/**
 * The field guide (data/admin/fields.json, read through src/content/labels): labels and help texts
 * in editors' words, in Italian and English, and the list views' columns, applied to the admin.
 * Pure: used by the server (to store the admin's view configuration) and by the admin panel (to
 * show the texts in the admin's language).
 */
import type { Locale } from '../../content/locales/core';
import { fieldTexts, type FieldGuide, type Texts } from '../../content/labels/core';

/** The admin stores one label per field: Italian, the editors' first language. */
export const STORED_LANGUAGE: Locale = 'it';

/**
 * Types editors have no use for, kept out of the Content Manager: the users-permissions plugin's
 * end users (the public API has no sign-up; editors are admin users).
 */
export const HIDDEN_TYPES = ['plugin::users-permissions.user'];

interface Metadata {
  edit?: Record<string, unknown>;
  list?: Record<string, unknown>;
}

export interface ViewConfiguration {
  settings?: Record<string, unknown>;
  metadatas: Record<string, Metadata>;
  layouts: { list: string[]; edit: unknown[] };
}

/**
 * The list view's columns at a start: the guide's, unless editors changed them after a start
 * applied the guide's (`applied`): their choice of columns stays, as the list view lets them make it.
 */
export function listColumns(current: string[], applied: string[] | undefined, guide: string[] | undefined): string[] {
  const changedByEditors = applied !== undefined && current.join() !== applied.join();
  return guide && !changedByEditors ? guide : current;
}

/**
 * The content manager's view configuration of one type or component with the guide's labels,
 * help texts and the given list columns (the guide's unless told); everything else (layout of the
 * edit view, sizes, sorting) stays as it is.
 */
export function guidedConfiguration(
  current: ViewConfiguration,
  guide: FieldGuide,
  model: string,
  columns = guide.models[model]?.list,
): ViewConfiguration {
  const metadatas = Object.fromEntries(
    Object.entries(current.metadatas).map(([field, metadata]) => {
      const texts = fieldTexts(guide, model, field);
      if (!texts) return [field, metadata];
      const stored = (t?: Texts) => t?.[STORED_LANGUAGE] ?? '';
      return [
        field,
        {
          ...metadata,
          ...(metadata.edit && Object.keys(metadata.edit).length
            ? {
                edit: {
                  ...metadata.edit,
                  label: stored(texts.label),
                  description: stored(texts.description),
                  placeholder: stored(texts.placeholder),
                },
              }
            : {}),
          ...(metadata.list ? { list: { ...metadata.list, label: stored(texts.label) } } : {}),
        },
      ];
    }),
  );
  return { settings: current.settings, metadatas, layouts: { ...current.layouts, list: columns ?? current.layouts.list } };
}

/**
 * Admin translations (src/admin/app.tsx `config.translations`) for what Strapi's admin translates
 * by id: field labels of a type's edit view and list columns (`content-manager.content-types.
 * <uid>.<field>`), type names (by their displayName) and the options of a coded field's drop-down
 * (by the code itself, so a code must have one name wherever it is used). Both languages, as the
 * admin falls back to English for an id its language lacks.
 */
export function adminTranslations(guide: FieldGuide): Record<Locale, Record<string, string>> {
  const it: Record<string, string> = {};
  const en: Record<string, string> = {};
  for (const [model, { name, fields = {} }] of Object.entries(guide.models)) {
    for (const [field, { values = {} }] of Object.entries(fields)) {
      for (const [code, texts] of Object.entries(values)) {
        if ((it[code] ?? texts.it) !== texts.it || (en[code] ?? texts.en) !== texts.en) {
          throw new Error(`data/admin/fields.json: the code "${code}" of ${model}.${field} has another name elsewhere`);
        }
        it[code] = texts.it;
        en[code] = texts.en;
      }
    }
    if (!name) continue; // components: their labels have no id, the edit view's texts are swapped instead
    it[name.en] = name.it;
    for (const field of new Set([...Object.keys(guide.common), ...Object.keys(fields)])) {
      const { label } = fieldTexts(guide, model, field)!;
      it[`content-manager.content-types.${model}.${field}`] = label.it;
      en[`content-manager.content-types.${model}.${field}`] = label.en;
    }
  }
  return { it, en };
}

/** The name of a coded field's code in a language (English for any other); the code itself if the guide has none. */
export function codeName(guide: FieldGuide, model: string, field: string, code: unknown, language: string): string {
  const texts = typeof code === 'string' ? fieldTexts(guide, model, field)?.values?.[code] : undefined;
  return texts?.[language as Locale] ?? texts?.en ?? String(code ?? '');
}

/**
 * Every stored (Italian) label, help text and placeholder with its English version. Strapi's
 * edit view shows the stored texts as they are, so the admin swaps them by text.
 */
export function englishTexts(guide: FieldGuide): Map<string, string> {
  const english = new Map<string, string>();
  const all = [guide.common, ...Object.values(guide.models).map((model) => model.fields ?? {})].flatMap((fields) => Object.values(fields));
  for (const texts of all) {
    for (const t of [texts.label, texts.description, texts.placeholder]) if (t) english.set(t.it, t.en);
  }
  return english;
}

interface FieldLayout {
  label?: unknown;
  hint?: unknown;
  placeholder?: unknown;
}

export interface EditViewLayout {
  layout: FieldLayout[][][];
  components: Record<string, { layout: FieldLayout[][] }>;
}

/** The edit view's layout with its labels, help texts and placeholders in the given language. */
export function layoutInLanguage<T extends EditViewLayout>(layout: T, language: string, english: Map<string, string>): T {
  if (language === STORED_LANGUAGE) return layout;
  const swap = (text: unknown) => (typeof text === 'string' && english.get(text)) || text;
  const field = (f: FieldLayout) => ({ ...f, label: swap(f.label), hint: swap(f.hint), placeholder: swap(f.placeholder) });
  const rows = (r: FieldLayout[][]) => r.map((row) => row.map(field));
  return {
    ...layout,
    layout: layout.layout.map(rows),
    components: Object.fromEntries(Object.entries(layout.components).map(([uid, c]) => [uid, { ...c, layout: rows(c.layout) }])),
  };
}
