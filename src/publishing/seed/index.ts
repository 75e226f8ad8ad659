import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import {
  SEED_LOCALES,
  contentTypeUid,
  documentData,
  orderSeedFiles,
  type Resolve,
  type Schemas,
  type SeedBase,
  type SeedFile,
  type SeedRecord,
} from './core';

export interface SeedReport {
  created: number;
  existing: number;
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

export function readSeedFiles(dir: string): { base: SeedBase; files: SeedFile[] } {
  const base = readJson(path.join(dir, 'source.json')) as SeedBase;
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json') && name !== 'source.json')
    .map((name) => readJson(path.join(dir, name)) as SeedFile);
  return { base, files: orderSeedFiles(files) };
}

const schemasOf = (strapi: Core.Strapi): Schemas => ({
  attributes: (uid) => strapi.contentType(uid as any).attributes as any,
  component: (uid) => strapi.components[uid as any].attributes as any,
});

/**
 * Loads the project's knowledge from `data/seed/` and publishes it, in one transaction.
 * Records are matched by slug: a record that already exists is left exactly as editors left
 * it, so running the seed again changes nothing.
 */
export async function seedKnowledgeBase(
  strapi: Core.Strapi,
  { dir = path.join(strapi.dirs.app.root, 'data', 'seed'), log = (line: string) => strapi.log.info(line) } = {},
): Promise<SeedReport> {
  const { base, files } = readSeedFiles(dir);
  const schemas = schemasOf(strapi);
  const ids = new Map<string, string>();
  const key = (uid: string, slug: string) => `${uid}#${slug}`;
  const toCreate: { uid: string; record: SeedRecord }[] = [];

  return strapi.db.transaction(async () => {
    for (const file of files) {
      const uid = contentTypeUid(file.type);
      for (const record of file.records) {
        const existing = await strapi.documents(uid as any).findFirst({
          filters: { slug: record.slug },
          locale: SEED_LOCALES[0],
          status: 'draft',
          fields: ['documentId'],
        } as any);
        if (existing) ids.set(key(uid, record.slug), existing.documentId);
        else toCreate.push({ uid, record });
      }
    }

    const dataFor = (uid: string, record: SeedRecord, locale: string, resolve: Resolve) =>
      documentData(uid, record, locale, base, schemas, resolve) as any;
    const steps = toCreate.length * 4;
    let done = 0;
    const progress = (what: string) => {
      done += 1;
      if (done % 10 === 0 || done === steps) log(`[seed] ${what}: ${done}/${steps} steps`);
    };

    // Drafts first, without references, so that every record has a documentId...
    for (const { uid, record } of toCreate) {
      const [first, ...others] = SEED_LOCALES;
      const doc = await strapi.documents(uid as any).create({ locale: first, data: dataFor(uid, record, first, () => null) });
      for (const locale of others) {
        await strapi.documents(uid as any).update({ documentId: doc.documentId, locale, data: dataFor(uid, record, locale, () => null) });
      }
      ids.set(key(uid, record.slug), doc.documentId);
      progress('drafts');
    }

    // ...then references (cycles such as event agenda <-> thematic table are fine)...
    const resolve: Resolve = (target, slug) => {
      const id = ids.get(key(target, slug));
      if (!id) throw new Error(`Seed data points to ${target} "${slug}", which is not in data/seed.`);
      return id;
    };
    for (const { uid, record } of toCreate) {
      const documentId = ids.get(key(uid, record.slug))!;
      for (const locale of SEED_LOCALES) {
        await strapi.documents(uid as any).update({ documentId, locale, data: dataFor(uid, record, locale, resolve) });
      }
      progress('references');
    }

    // ...then publish. A published version links only to targets already published, and
    // references run both ways (an agenda item names a thematic table that names its event), so
    // the second round links what the first could not.
    for (const round of ['publish', 'publish, linking']) {
      for (const { uid, record } of toCreate) {
        await strapi.documents(uid as any).publish({ documentId: ids.get(key(uid, record.slug))!, locale: '*' });
        progress(round);
      }
    }

    const report = { created: toCreate.length, existing: ids.size - toCreate.length };
    log(`[seed] done: ${report.created} records created, ${report.existing} already present`);
    return report;
  });
}

/** True when none of the knowledge-base types holds a single document. */
export async function isKnowledgeBaseEmpty(strapi: Core.Strapi, types: readonly string[]): Promise<boolean> {
  for (const type of types) {
    if ((await strapi.db.query(contentTypeUid(type) as any).count()) > 0) return false;
  }
  return true;
}
