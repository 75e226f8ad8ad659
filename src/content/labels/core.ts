/**
 * Field labels in Italian and English, from the one place they are written: the field guide
 * (data/admin/fields.json), which also holds the admin's help texts and list columns. The admin,
 * the JSON-LD section names, the static site and the explorer (through ./index.ts) all read
 * labels from here. Pure.
 */
import type { Locale } from '../locales/core';
import guide from '../../../data/admin/fields.json';

export type Texts = Record<Locale, string>;

export interface FieldTexts {
  label: Texts;
  description?: Texts;
  placeholder?: Texts;
  /** A coded field's (an enumeration's) name for each of its codes. */
  values?: Record<string, Texts>;
}

/** A field's label, with its codes' names if it has codes. */
export type FieldLabel = Texts & { values?: Record<string, Texts> };

export interface ModelGuide {
  /** The type's name; `en` is its displayName in schema.json. Components have none. */
  name?: Texts;
  /** The list view's columns. */
  list?: string[];
  fields?: Record<string, FieldTexts>;
}

export interface FieldGuide {
  /** Texts of every type's field of that name, unless the type gives its own. */
  common: Record<string, FieldTexts>;
  /** Per type uid (`api::…`) or component uid (`shared.source`). */
  models: Record<string, ModelGuide>;
}

/** data/admin/fields.json, compiled in with the app. */
export const FIELD_GUIDE = guide as unknown as FieldGuide;

export const fieldTexts = (fieldGuide: FieldGuide, model: string, field: string): FieldTexts | undefined =>
  fieldGuide.models[model]?.fields?.[field] ?? fieldGuide.common[field];

/** A field's label in a locale (English for any other), or the field's name when it has none. */
export function fieldLabel(model: string, field: string, locale: string): string {
  const label = fieldTexts(FIELD_GUIDE, model, field)?.label;
  return label?.[locale as Locale] ?? label?.en ?? field;
}

/** The name of a coded field's code in a locale (English for any other), or the code itself when the guide has none. */
export function codeLabel(model: string, field: string, code: string, locale: string): string {
  const names = fieldTexts(FIELD_GUIDE, model, field)?.values?.[code];
  return names?.[locale as Locale] ?? names?.en ?? code;
}

/**
 * The labels of the given fields of one type or component, with the names of their codes; fields
 * the guide does not name are left out.
 */
export const labelsOf = (model: string, fields: string[]): Record<string, FieldLabel> =>
  Object.fromEntries(
    fields.flatMap((field) => {
      const texts = fieldTexts(FIELD_GUIDE, model, field);
      if (!texts) return [];
      return [[field, texts.values ? { ...texts.label, values: texts.values } : texts.label]];
    }),
  );
