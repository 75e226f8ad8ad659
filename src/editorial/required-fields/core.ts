/**
 * Required fields of a record saved from the admin. Strapi 5 checks `required` only when
 * publishing, so a draft can be saved half-filled; people typing in the admin get the check at
 * every save instead. Pure: no Strapi here.
 */
import type { Locale } from '../../content/locales/core';
import type { Attributes } from '../../content/model/core';

/** Relations and media are linked, not typed: Strapi checks them at publication. */
const LINKED = new Set(['relation', 'media']);

const isEmpty = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * Paths of the required fields left empty. A new record must carry every required field that
 * has no default; an update is judged on the fields it sends (the admin sends them all).
 */
export function emptyRequiredFields(
  attributes: Attributes,
  component: (uid: string) => Attributes,
  data: Record<string, unknown>,
  creating: boolean,
  prefix: string[] = [],
): string[][] {
  return Object.entries(attributes).flatMap(([name, attribute]) => {
    if (LINKED.has(attribute.type)) return [];
    const path = [...prefix, name];
    if (!(name in data)) return creating && attribute.required && attribute.default === undefined ? [path] : [];
    const value = data[name];
    if (isEmpty(value)) return attribute.required ? [path] : [];
    if (attribute.type !== 'component' || !attribute.component) return [];
    // A component is written whole: its own required fields must all be there.
    const inner = component(attribute.component);
    const items =
      attribute.repeatable && Array.isArray(value)
        ? value.map((item, i) => [item, [...path, String(i)]] as const)
        : [[value, path] as const];
    return items.flatMap(([item, at]) => emptyRequiredFields(inner, component, (item ?? {}) as Record<string, unknown>, true, at));
  });
}

export interface Label {
  it: string;
  en: string;
}

/** A field's name as the admin labels it; a component's field is named after both (Fonte › Titolo della fonte). */
export function pathLabel(
  path: string[],
  model: string,
  attributes: Attributes,
  component: (uid: string) => Attributes,
  labelOf: (model: string, field: string) => Label | undefined,
): Label {
  const parts: Label[] = [];
  for (const name of path.filter((part) => !/^\d+$/.test(part))) {
    parts.push(labelOf(model, name) ?? { it: name, en: name });
    const inner = attributes[name]?.component;
    if (inner) [model, attributes] = [inner, component(inner)];
  }
  return { it: parts.map((p) => p.it).join(' › '), en: parts.map((p) => p.en).join(' › ') };
}

export const REQUIRED = 'Obbligatorio — Required';

/** The refusal: which fields to fill, named as the admin labels them. */
export function requiredFieldsMessage(labels: Label[]): string {
  const list = (language: Locale) => labels.map((label) => label[language]).join(', ');
  return `Non salvato: compila i campi obbligatori (${list('it')}). — Not saved: fill in the required fields (${list('en')}).`;
}
