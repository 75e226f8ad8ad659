/**
 * Pure core of the seed: turns one record of a `data/seed/*.json` file into the data the
 * document service takes, for one locale. References between records are written as slugs in
 * the files and become documentIds through `resolve`, guided by the content-type schemas.
 */
import type { Attribute } from '../../content/model/core';
export const SEED_ORDER = [
  'territory',
  'theme',
  'organization',
  'person',
  'project',
  'event',
  'thematic-table',
  'training',
  'outcome',
  'good-practice',
] as const;

export const SEED_LOCALES = ['it', 'en'] as const;

type Data = Record<string, unknown>;

export interface SeedRecord {
  slug: string;
  fields?: Data;
  locales: Record<string, Data & { sourceNote?: string }>;
  relations?: Record<string, string | string[] | null>;
}

export interface SeedFile {
  type: string;
  records: SeedRecord[];
}

export interface SeedBase {
  license: string;
  source: Record<string, Data & { note?: string }>;
}

export interface Schemas {
  attributes(uid: string): Record<string, Attribute>;
  component(uid: string): Record<string, Attribute>;
}

/** Returns the documentId of a seeded record, or null when references are left for later. */
export type Resolve = (targetUid: string, slug: string) => string | null;

export const contentTypeUid = (type: string) => `api::${type}.${type}`;

export function documentData(uid: string, record: SeedRecord, locale: string, base: SeedBase, schemas: Schemas, resolve: Resolve): Data {
  const localized = record.locales[locale];
  if (!localized) throw new Error(`Seed record ${uid} "${record.slug}" has no "${locale}" version.`);
  const { sourceNote, ...fields } = localized;
  const baseSource = base.source[locale];
  const data: Data = {
    slug: record.slug,
    license: base.license,
    ...record.fields,
    ...fields,
    source: { ...baseSource, note: [baseSource.note, sourceNote].filter(Boolean).join(' ') },
    ...record.relations,
  };
  const where = `${uid} "${record.slug}"`;
  checkInferences(data, schemas.attributes(uid), schemas, where);
  return resolveReferences(data, schemas.attributes(uid), schemas, resolve, where);
}

/**
 * An inference names a field of the record ("startDate") or of its component ("agenda.time")
 * that holds a value: flagging a field the record does not have, or leaves empty, would mark
 * nothing, so it is a mistake in the data.
 */
function checkInferences(data: Data, attributes: Record<string, Attribute>, schemas: Schemas, where: string): void {
  const holds = (value: unknown, path: string[], within: Record<string, Attribute>): boolean => {
    const [name, ...rest] = path;
    const attribute = within[name];
    if (!attribute) return false;
    const inner = (value as Data | null | undefined)?.[name];
    if (!rest.length) return inner != null && !(Array.isArray(inner) && inner.length === 0);
    if (attribute.type !== 'component') return false;
    const items = attribute.repeatable ? ((inner as Data[] | undefined) ?? []) : [inner as Data];
    return items.some((item) => holds(item, rest, schemas.component(attribute.component!)));
  };
  for (const { field } of (data.inferences as { field: string }[] | undefined) ?? []) {
    if (!holds(data, field.split('.'), attributes))
      throw new Error(`Seed record ${where} marks "${field}" as inferred, but it has no value there.`);
  }
}

function resolveReferences(data: Data, attributes: Record<string, Attribute>, schemas: Schemas, resolve: Resolve, where: string): Data {
  const out: Data = {};
  for (const [name, value] of Object.entries(data)) {
    const attribute = attributes[name];
    if (!attribute) throw new Error(`Seed record ${where} has a field "${name}" that the content model does not have.`);
    if (attribute.type === 'relation') {
      out[name] = Array.isArray(value)
        ? value.map((slug) => resolve(attribute.target!, slug)).filter(Boolean)
        : value == null
          ? null
          : resolve(attribute.target!, value as string);
    } else if (attribute.type === 'component' && value != null) {
      const componentAttributes = schemas.component(attribute.component!);
      const one = (item: Data) => resolveReferences(item, componentAttributes, schemas, resolve, where);
      out[name] = attribute.repeatable ? (value as Data[]).map(one) : one(value as Data);
    } else {
      out[name] = value;
    }
  }
  return out;
}

/** Orders seed files so that what a record points to is always loaded before it. */
export function orderSeedFiles(files: SeedFile[]): SeedFile[] {
  const rank = (file: SeedFile) => {
    const i = (SEED_ORDER as readonly string[]).indexOf(file.type);
    if (i < 0) throw new Error(`Seed file for unknown type "${file.type}".`);
    return i;
  };
  return files
    .map((file) => ({ file, rank: rank(file) }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ file }) => file);
}
