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
  return resolveReferences(data, schemas.attributes(uid), schemas, resolve, `${uid} "${record.slug}"`);
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
