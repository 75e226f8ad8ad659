import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { invalidateResponseCache } from '../../edge/response-cache';
import { createRows, linkWriter, refreshStatistics } from '../bulk-write';
import {
  SYNTHETIC_LOCALES,
  SYNTHETIC_PREFIX,
  contentTypeUid,
  documentData,
  practiceSlug,
  syntheticCatalog,
  syntheticPractice,
  type SyntheticDocument,
} from './core';
import type { Locale } from '../../content/locales/core';

type Log = (line: string) => void;
type Row = Record<string, any>;

const PRACTICE = contentTypeUid('good-practice');

export interface SyntheticReport {
  catalog: { created: number; existing: number };
  practices: { created: number; existing: number };
  seconds: number;
}

function refuseInProduction(): void {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('Synthetic content is for benchmarks and never goes into a production database (NODE_ENV=production).');
  }
}

/**
 * Writes `practices` synthetic good practices (and the catalog they point to), published in
 * Italian and English. Idempotent by slug: practices already there are kept, so a larger N adds
 * only the missing ones. The search index is not touched: rebuild it afterwards.
 */
export async function seedSyntheticContent(
  strapi: Core.Strapi,
  {
    practices,
    seed = 1,
    batch = 500,
    log = (line: string) => strapi.log.info(line),
  }: { practices: number; seed?: number; batch?: number; log?: Log },
): Promise<SyntheticReport> {
  refuseInProduction();
  const started = Date.now();
  const catalog = await writeCatalog(strapi);
  log(
    `[synthetic] catalog: ${catalog.created} records created, ${catalog.existing} already present (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );

  const existing = new Set(
    (await strapi.db.query(PRACTICE).findMany({ where: { slug: { $startsWith: SYNTHETIC_PREFIX } }, select: ['slug'] })).map(
      (row: Row) => row.slug,
    ),
  );
  const missing: number[] = [];
  for (let n = 1; n <= practices; n += 1) if (!existing.has(practiceSlug(n))) missing.push(n);
  const present = practices - missing.length;

  const write = bulkWriter(strapi, PRACTICE);
  for (let i = 0; i < missing.length; i += batch) {
    const docs = missing.slice(i, i + batch).map((n) => syntheticPractice(n, seed));
    await strapi.db.transaction(({ trx }) => write(trx as unknown as Knex, docs));
    log(`[synthetic] ${present + Math.min(i + batch, missing.length)}/${practices} practices`);
  }
  if (missing.length) await refreshStatistics(strapi);
  // Written beneath the query engine: no lifecycle told the response cache.
  await invalidateResponseCache(strapi);

  return {
    catalog,
    practices: { created: missing.length, existing: present },
    seconds: (Date.now() - started) / 1000,
  };
}

const relationTarget = (strapi: Core.Strapi, uid: string, relation: string): string =>
  (strapi.contentType(uid as any).attributes as any)[relation].target;

/**
 * The catalog is small, so it takes the faithful path: the document service, with its
 * validation and middlewares, exactly as the real seed does.
 */
async function writeCatalog(strapi: Core.Strapi): Promise<{ created: number; existing: number }> {
  const ids = new Map<string, string>();
  const key = (uid: string, slug: string) => `${uid}#${slug}`;
  let created = 0;
  await strapi.db.transaction(async () => {
    for (const doc of syntheticCatalog()) {
      const uid = contentTypeUid(doc.type);
      const documents = strapi.documents(uid as any);
      const found = await documents.findFirst({
        filters: { slug: doc.slug },
        locale: SYNTHETIC_LOCALES[0],
        status: 'draft',
        fields: ['documentId'],
      } as any);
      if (found) {
        ids.set(key(uid, doc.slug), found.documentId);
        continue;
      }
      const resolve = (relation: string, slug: string) => {
        const id = ids.get(key(relationTarget(strapi, uid, relation), slug));
        if (!id) throw new Error(`Synthetic ${doc.slug} points to ${slug}, which is not written before it.`);
        return id;
      };
      const [first, ...others] = SYNTHETIC_LOCALES;
      const { documentId } = await documents.create({ locale: first, data: documentData(doc, first, resolve) } as any);
      for (const locale of others) await documents.update({ documentId, locale, data: documentData(doc, locale, resolve) } as any);
      await documents.publish({ documentId, locale: '*' } as any);
      ids.set(key(uid, doc.slug), documentId);
      created += 1;
    }
  });
  return { created, existing: syntheticCatalog().length - created };
}

interface Version {
  doc: SyntheticDocument;
  locale: Locale;
  publishedAt: Date | null;
  values: Row;
}

/**
 * Writes documents of one content type straight through the Query Engine, producing what
 * `documents.create/update/publish` would: per locale a draft row and a published row sharing
 * the documentId, each with its own component rows, and relation links from drafts to the
 * targets' drafts and from published rows to the targets' published rows, in the same locale.
 * Table and column names come from Strapi's metadata, never spelled out here.
 */
function bulkWriter(strapi: Core.Strapi, uid: string) {
  const attributes = strapi.contentType(uid as any).attributes as Record<string, any>;
  const targets = new Map<string, Map<string, number>>();

  for (const attribute of Object.values(attributes)) {
    if (attribute.type === 'component') {
      const flat = Object.values(strapi.components[attribute.component as keyof typeof strapi.components].attributes).every(
        (a: any) => !['relation', 'component', 'media', 'dynamiczone'].includes(a.type),
      );
      if (!flat) throw new Error(`The synthetic writer handles flat components only, not ${attribute.component}.`);
    }
  }

  /** id of the target row in the version's locale and state, by slug. */
  async function targetId(target: string, slug: string, locale: string, published: boolean): Promise<number> {
    if (!targets.has(target)) {
      const rows = await strapi.db
        .query(target as any)
        .findMany({ where: { slug: { $startsWith: SYNTHETIC_PREFIX } }, select: ['id', 'slug', 'locale', 'publishedAt'] });
      targets.set(target, new Map(rows.map((r: Row) => [`${r.slug}|${r.locale}|${r.publishedAt != null}`, r.id as number])));
    }
    const id = targets.get(target)!.get(`${slug}|${locale}|${published}`);
    if (id === undefined) throw new Error(`Synthetic ${target} "${slug}" has no ${published ? 'published' : 'draft'} ${locale} version.`);
    return id;
  }

  return async function write(trx: Knex, docs: SyntheticDocument[]): Promise<void> {
    const now = new Date();
    const versions: Version[] = docs.flatMap((doc) =>
      [null, now].flatMap((publishedAt) =>
        SYNTHETIC_LOCALES.map((locale) => ({ doc, locale, publishedAt, values: { ...doc.fields, ...doc.locales[locale] } })),
      ),
    );

    const rows = versions.map(({ doc, locale, publishedAt, values }) => {
      const row: Row = { documentId: doc.documentId, locale, publishedAt, createdAt: now, updatedAt: now };
      for (const [name, value] of Object.entries(values)) {
        const attribute = attributes[name];
        if (!attribute) throw new Error(`Synthetic ${doc.slug} has a field "${name}" that ${uid} does not have.`);
        if (attribute.type !== 'component') row[name] = value;
      }
      return row;
    });
    const ids = await createRows(strapi, uid, rows);
    const links = linkWriter(strapi, trx);

    for (const [name, attribute] of Object.entries(attributes)) {
      if (attribute.type !== 'component') continue;
      const items = versions.map(({ values }) => {
        const value = values[name];
        return value == null ? [] : attribute.repeatable ? (value as Row[]) : [value as Row];
      });
      const componentIds = await createRows(
        strapi,
        attribute.component,
        items.flat().map((data) => ({ ...data })),
      );
      let next = 0;
      for (const [v, list] of items.entries()) await links.link(uid, name, ids[v], componentIds.slice(next, (next += list.length)));
    }

    for (const name of new Set(docs.flatMap((doc) => Object.keys(doc.relations)))) {
      if (attributes[name]?.type !== 'relation') throw new Error(`Synthetic documents link relations; ${uid} "${name}" is not one.`);
      for (const [v, { doc, locale, publishedAt }] of versions.entries()) {
        const value = doc.relations[name];
        const slugs = value == null ? [] : Array.isArray(value) ? value : [value];
        const targetIds: number[] = [];
        for (const slug of slugs) targetIds.push(await targetId(attributes[name].target, slug, locale, publishedAt !== null));
        await links.link(uid, name, ids[v], targetIds);
      }
    }
    await links.flush();
  };
}

/**
 * Deletes every record whose slug starts with `synthetic-`, of any type, with its component
 * rows and every relation link to or from it; nothing else. Bulk, like the writer.
 */
export async function removeSyntheticContent(
  strapi: Core.Strapi,
  { batch = 500, log = (line: string) => strapi.log.info(line) }: { batch?: number; log?: Log } = {},
): Promise<{ removed: Record<string, number>; seconds: number }> {
  refuseInProduction();
  const started = Date.now();
  const removed: Record<string, number> = {};
  const uids = Object.keys(strapi.contentTypes).filter(
    (uid) => uid.startsWith('api::') && 'slug' in strapi.contentType(uid as any).attributes,
  );
  for (const uid of uids) {
    const rows = await strapi.db
      .query(uid as any)
      .findMany({ where: { slug: { $startsWith: SYNTHETIC_PREFIX } }, select: ['id', 'documentId'] });
    const byDocument = new Map<string, number[]>();
    for (const row of rows) byDocument.set(row.documentId, [...(byDocument.get(row.documentId) ?? []), row.id]);
    const documents = [...byDocument.values()];
    if (!documents.length) continue;
    // All versions of a document go in the same transaction, so none is ever half removed.
    for (let i = 0; i < documents.length; i += batch) {
      await strapi.db.transaction(({ trx }) => deleteRows(strapi, trx as unknown as Knex, uid, documents.slice(i, i + batch).flat()));
      log(`[synthetic] removed ${Math.min(i + batch, documents.length)}/${documents.length} ${uid}`);
    }
    removed[uid] = documents.length;
  }
  await invalidateResponseCache(strapi);
  return { removed, seconds: (Date.now() - started) / 1000 };
}

async function deleteRows(strapi: Core.Strapi, trx: Knex, uid: string, ids: number[]): Promise<void> {
  const table = strapi.db.metadata.get(uid).tableName;
  // The links it owns and its components; links to it from other records below.
  await linkWriter(strapi, trx).unlink(uid, ids);

  // Links from this type and to it, from any model (a real record may point to a synthetic one),
  // and media attached to it (polymorphic links, keyed by uid).
  const done = new Set<string>();
  for (const model of strapi.db.metadata.values()) {
    for (const attribute of Object.values(model.attributes) as any[]) {
      const join = attribute.joinTable;
      if (!join) continue;
      if (join.morphColumn && !done.has(join.name)) {
        done.add(join.name);
        await trx(join.name).where(join.morphColumn.typeColumn.name, uid).whereIn(join.morphColumn.idColumn.name, ids).del();
      }
      for (const column of [join.joinColumn, join.inverseJoinColumn]) {
        const key = `${join.name}.${column?.name}`;
        if (column?.referencedTable !== table || done.has(key)) continue;
        done.add(key);
        await trx(join.name).whereIn(column.name, ids).del();
      }
    }
  }

  await strapi.db.query(uid as any).deleteMany({ where: { id: { $in: ids } } });
}
