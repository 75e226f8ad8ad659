/**
 * Synthetic content for benchmarks, bulk-written on a real Strapi: what the document service
 * would write, readable anonymously over GraphQL, idempotent, and removable without touching
 * the real seed.
 */
import path from 'path';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';
import {
  SYNTHETIC_PREFIX,
  SYNTHETIC_SOURCE,
  documentData,
  practiceSlug,
  syntheticCatalog,
  syntheticPractice,
} from '../src/publishing/synthetic/core';
import { PUBLIC_UIDS } from '../src/content/model/core';
import type { Locale } from '../src/content/locales/core';

const appDir = path.resolve(__dirname, '..');
const synthetic = () => require(path.join(appDir, 'dist/src/publishing/synthetic'));
const PRACTICE = 'api::good-practice.good-practice';
const SEED = 7;
const quiet = { log: () => undefined };

const isSynthetic = (row: any) => String(row.slug).startsWith(SYNTHETIC_PREFIX);

/** Every version of every record, real or synthetic, as the database holds it. */
async function versions(kb: KnowledgeBase, which: (row: any) => boolean) {
  const out: Record<string, unknown[]> = {};
  for (const uid of PUBLIC_UIDS) {
    const rows = await kb.strapi.db.query(uid as any).findMany({
      select: ['slug', 'documentId', 'locale', 'publishedAt', 'updatedAt'],
      orderBy: [{ documentId: 'asc' }, { locale: 'asc' }, { publishedAt: 'asc' }],
    });
    out[uid] = rows.filter(which);
  }
  return out;
}

/** Row counts of every component table and every link table. */
async function tableCounts(kb: KnowledgeBase) {
  const knex = kb.strapi.db.connection;
  const tables = new Set<string>();
  for (const model of kb.strapi.db.metadata.values()) {
    if (model.uid.includes('.') && !model.uid.includes('::')) tables.add(model.tableName);
    for (const attribute of Object.values(model.attributes) as any[]) if (attribute.joinTable) tables.add(attribute.joinTable.name);
  }
  const counts: Record<string, number> = {};
  for (const table of [...tables].sort()) counts[table] = Number((await knex(table).count({ n: '*' }))[0].n);
  return counts;
}

const PRACTICE_FIELDS = `documentId slug title summary context objectives activities results lessonsLearned transferability resourcesNeeded
  implementationStatus startDate endDate license targetGroups { group } source { title note }
  project { slug } themes { slug name } territories { slug name parent { slug } } leadOrganization { slug name } partnerOrganizations { slug }`;

describe('synthetic content', () => {
  let kb: KnowledgeBase;
  let realBefore: Awaited<ReturnType<typeof versions>>;
  let countsBefore: Record<string, number>;
  let report: any;

  beforeAll(async () => {
    // Bulk writing is not under load here: on a busy machine a write can wait longer for a
    // connection than the 5 s a production request waits.
    kb = await startKnowledgeBase({ env: { DATABASE_CONNECTION_TIMEOUT: '60000' } });
    realBefore = await versions(kb, (row) => !isSynthetic(row));
    countsBefore = await tableCounts(kb);
    // Small batches, so that links across batches (ordering in targets' lists) are exercised.
    report = await synthetic().seedSyntheticContent(kb.strapi, { practices: 300, seed: SEED, batch: 120, ...quiet });
  });
  afterAll(async () => {
    await kb.stop();
  });

  test('writes the practices and their catalog, published in Italian and English', async () => {
    expect(report.catalog).toEqual({ created: syntheticCatalog().length, existing: 0 });
    expect(report.practices).toEqual({ created: 300, existing: 0 });
    for (const locale of ['it', 'en']) {
      for (const status of ['draft', 'published']) {
        const n = await kb.strapi
          .documents(PRACTICE)
          .count({ locale, status, filters: { slug: { $startsWith: SYNTHETIC_PREFIX } } } as any);
        expect([locale, status, n]).toEqual([locale, status, 300]);
      }
    }
  });

  test('anyone can read them over GraphQL in both locales, with their relations', async () => {
    const catalog = new Map(syntheticCatalog().map((doc) => [doc.slug, doc]));
    for (const locale of ['it', 'en'] as Locale[]) {
      const total = await kb.graphql(
        `{ goodPractices_connection(locale: "${locale}", filters: { slug: { startsWith: "${SYNTHETIC_PREFIX}" } }) { pageInfo { total } } }`,
      );
      expect(total.body.data.goodPractices_connection.pageInfo.total).toBe(300);

      for (const n of [1, 121, 300]) {
        const expected = syntheticPractice(n, SEED);
        const res = await kb.graphql(
          `{ goodPractices(locale: "${locale}", filters: { slug: { eq: "${practiceSlug(n)}" } }) { ${PRACTICE_FIELDS} } }`,
        );
        expect(res.body.errors).toBeUndefined();
        const [practice] = res.body.data.goodPractices;
        const { source, ...texts } = expected.locales[locale];
        expect(practice).toMatchObject({ documentId: expected.documentId, ...texts, source: SYNTHETIC_SOURCE, license: 'CC0-1.0' });
        expect(practice).toMatchObject({
          implementationStatus: expected.fields.implementationStatus,
          startDate: expected.fields.startDate,
          endDate: expected.fields.endDate,
          targetGroups: expected.fields.targetGroups,
          project: { slug: expected.relations.project },
          leadOrganization: {
            slug: expected.relations.leadOrganization,
            name: catalog.get(expected.relations.leadOrganization as string)!.fields.name,
          },
        });
        const names = (slugs: string[], field: string) =>
          slugs.map((slug) => ({ slug, [field]: catalog.get(slug)!.locales[locale][field] }));
        expect(practice.themes).toEqual(names(expected.relations.themes as string[], 'name'));
        expect(practice.territories).toEqual(
          (expected.relations.territories as string[]).map((slug) => ({
            slug,
            name: catalog.get(slug)!.locales[locale].name,
            parent: catalog.get(slug)!.relations.parent ? { slug: catalog.get(slug)!.relations.parent } : null,
          })),
        );
        expect(practice.partnerOrganizations).toEqual((expected.relations.partnerOrganizations as string[]).map((slug) => ({ slug })));
        expect(practice.source).toEqual(source);
      }
    }
  });

  test('each version holds what the document service would have written', async () => {
    // The same practice once more through the document service, under another slug.
    const doc = syntheticPractice(1, SEED);
    const documentIds = new Map<string, string>();
    for (const target of ['theme', 'territory', 'organization', 'project']) {
      for (const row of await kb.strapi.db.query(`api::${target}.${target}` as any).findMany({ select: ['slug', 'documentId'] }))
        documentIds.set(row.slug, row.documentId);
    }
    const data = (locale: Locale) => ({
      ...documentData(doc, locale, (_relation, slug) => documentIds.get(slug)!),
      slug: `${SYNTHETIC_PREFIX}document-service-check`,
    });
    const documents = kb.strapi.documents(PRACTICE);
    const created = await documents.create({ locale: 'it', data: data('it') } as any);
    await documents.update({ documentId: created.documentId, locale: 'en', data: data('en') } as any);
    await documents.publish({ documentId: created.documentId, locale: '*' } as any);

    const relations = ['project', 'themes', 'territories', 'leadOrganization', 'partnerOrganizations'];
    const stored = async (documentId: string) => {
      const rows = await kb.strapi.db.query(PRACTICE).findMany({
        where: { documentId },
        populate: { targetGroups: true, source: true, ...Object.fromEntries(relations.map((r) => [r, { select: ['id'] }])) },
        orderBy: [{ locale: 'asc' }, { publishedAt: 'asc' }],
      });
      const strip = ({ id, ...rest }: any) => rest;
      return rows.map(({ id, documentId: _d, slug, createdAt, updatedAt, publishedAt, targetGroups, source, ...row }: any) => ({
        ...row,
        published: publishedAt !== null,
        timestamps: createdAt !== null && updatedAt !== null,
        targetGroups: targetGroups.map(strip),
        source: strip(source),
      }));
    };
    expect(await stored(doc.documentId!)).toEqual(await stored(created.documentId));

    // Link rows, column by column: the same targets in the same order, component links with the
    // same field, type and order, and an inverse order wherever Strapi keeps one.
    const knex = kb.strapi.db.connection;
    const meta = kb.strapi.db.metadata.get(PRACTICE);
    const links = async (documentId: string) => {
      const ids = (
        await kb.strapi.db
          .query(PRACTICE)
          .findMany({ where: { documentId }, select: ['id'], orderBy: [{ locale: 'asc' }, { publishedAt: 'asc' }] })
      ).map((r: any) => r.id);
      const out: unknown[] = [];
      for (const name of [...relations, 'targetGroups', 'source']) {
        const join = (meta.attributes as any)[name].joinTable;
        for (const [version, id] of ids.entries()) {
          const rows = await knex(join.name)
            .where(join.joinColumn.name, id)
            .where(join.on ?? {})
            .orderBy('id');
          out.push(
            rows.map(({ id: _id, [join.joinColumn.name]: _owner, ...row }: any) => {
              // Component rows are copies with ids of their own; relation targets must be the same rows.
              if (join.on) delete row[join.inverseJoinColumn.name];
              if (join.inverseOrderColumnName) row[join.inverseOrderColumnName] = row[join.inverseOrderColumnName] > 0;
              return { name, version, ...row };
            }),
          );
        }
      }
      return out;
    };
    expect(await links(doc.documentId!)).toEqual(await links(created.documentId));
    await documents.delete({ documentId: created.documentId, locale: '*' } as any);
  });

  test('positions in the targets’ lists never collide, across batches', async () => {
    const knex = kb.strapi.db.connection;
    for (const attribute of Object.values(kb.strapi.db.metadata.get(PRACTICE).attributes) as any[]) {
      const join = attribute.joinTable;
      if (!join?.inverseOrderColumnName) continue;
      const clashes = await knex(join.name)
        .select(join.inverseJoinColumn.name, join.inverseOrderColumnName)
        .count({ n: '*' })
        .groupBy(join.inverseJoinColumn.name, join.inverseOrderColumnName)
        .having(knex.raw('count(*) > 1'));
      expect([join.name, clashes]).toEqual([join.name, []]);
    }
  });

  test('running again adds nothing; a larger N adds only the missing practices', async () => {
    const before = await versions(kb, isSynthetic);
    const again = await synthetic().seedSyntheticContent(kb.strapi, { practices: 300, seed: SEED, ...quiet });
    expect([again.catalog.created, again.practices]).toEqual([0, { created: 0, existing: 300 }]);
    expect(await versions(kb, isSynthetic)).toEqual(before);

    const more = await synthetic().seedSyntheticContent(kb.strapi, { practices: 320, seed: SEED, ...quiet });
    expect(more.practices).toEqual({ created: 20, existing: 300 });
    expect(
      await kb.strapi
        .documents(PRACTICE)
        .count({ locale: 'en', status: 'published', filters: { slug: { $startsWith: SYNTHETIC_PREFIX } } } as any),
    ).toBe(320);
  });

  test('the real seed is left exactly as it was', async () => {
    expect(await versions(kb, (row) => !isSynthetic(row))).toEqual(realBefore);
    const res = await kb.graphql(`{ goodPractices(locale: "it", filters: { slug: { notContains: "${SYNTHETIC_PREFIX}" } }) { slug } }`);
    expect(res.body.data.goodPractices).toHaveLength(4);
  });

  test('refuses to run with NODE_ENV=production', async () => {
    process.env.NODE_ENV = 'production';
    try {
      await expect(synthetic().seedSyntheticContent(kb.strapi, { practices: 1, ...quiet })).rejects.toThrow(/production/);
      await expect(synthetic().removeSyntheticContent(kb.strapi, quiet)).rejects.toThrow(/production/);
    } finally {
      process.env.NODE_ENV = 'test';
    }
    expect(await kb.strapi.documents(PRACTICE).count({ locale: 'it', filters: { slug: { $startsWith: SYNTHETIC_PREFIX } } } as any)).toBe(
      320,
    );
  });

  test('reset removes every synthetic record with its components and links, and nothing else', async () => {
    const { removed } = await synthetic().removeSyntheticContent(kb.strapi, { batch: 100, ...quiet });
    expect(removed).toEqual({
      'api::good-practice.good-practice': 320,
      'api::organization.organization': syntheticCatalog().filter((d) => d.type === 'organization').length,
      'api::project.project': 1,
      'api::territory.territory': syntheticCatalog().filter((d) => d.type === 'territory').length,
      'api::theme.theme': syntheticCatalog().filter((d) => d.type === 'theme').length,
    });
    const left = await versions(kb, isSynthetic);
    expect(Object.values(left).flat()).toEqual([]);
    expect(await versions(kb, (row) => !isSynthetic(row))).toEqual(realBefore);
    expect(await tableCounts(kb)).toEqual(countsBefore);
    const res = await kb.graphql(`{ themes(locale: "en", pagination: { limit: 100 }) { slug } }`);
    expect(res.body.data.themes).toHaveLength(7);
  });
});
