/** The seed: loaded into an empty database at start, idempotent, switchable off. */
import path from 'path';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';
import { PUBLIC_UIDS } from '../src/content/model/core';

const appDir = path.resolve(__dirname, '..');
const seedModule = () => require(path.join(appDir, 'dist/src/publishing/seed'));

async function snapshot(kb: KnowledgeBase) {
  const rows: Record<string, unknown> = {};
  for (const uid of PUBLIC_UIDS) {
    rows[uid] = await kb.strapi.db.query(uid as any).findMany({
      select: ['documentId', 'locale', 'publishedAt', 'updatedAt'],
      orderBy: [{ documentId: 'asc' }, { locale: 'asc' }, { publishedAt: 'asc' }],
    });
  }
  return rows;
}

describe('seeded database', () => {
  let kb: KnowledgeBase;
  beforeAll(async () => {
    kb = await startKnowledgeBase({ firstStart: true });
  });
  afterAll(async () => {
    await kb.stop();
  });

  test('holds everything the article lists, published in both locales', async () => {
    const expected: Record<string, number> = {
      project: 1,
      'good-practice': 4,
      training: 0,
      'thematic-table': 4,
      outcome: 4,
      event: 1,
      organization: 2,
      person: 4,
      territory: 3,
      theme: 7,
    };
    for (const [type, n] of Object.entries(expected)) {
      const uid = `api::${type}.${type}` as any;
      for (const locale of ['it', 'en']) {
        expect([type, locale, await kb.strapi.documents(uid).count({ locale, status: 'published' })]).toEqual([type, locale, n]);
        expect([type, locale, await kb.strapi.documents(uid).count({ locale, status: 'draft' })]).toEqual([type, locale, n]);
      }
    }
  });

  test('loading it again changes nothing', async () => {
    const before = await snapshot(kb);
    const report = await seedModule().seedKnowledgeBase(kb.strapi, { log: () => undefined });
    expect(report).toEqual({ created: 0, existing: 30 });
    expect(await snapshot(kb)).toEqual(before);
  });

  test('a record an editor deleted is restored, and nothing else is touched', async () => {
    const THEME = 'api::theme.theme';
    const theme = await kb.strapi.documents(THEME).findFirst({ filters: { slug: 'integrazione-sociale' }, locale: 'it' });
    await kb.strapi.documents(THEME).delete({ documentId: theme!.documentId, locale: '*' });
    const report = await seedModule().seedKnowledgeBase(kb.strapi, { log: () => undefined });
    expect(report).toEqual({ created: 1, existing: 29 });
    const res = await kb.graphql(`{ themes(locale: "en", filters: { slug: { eq: "integrazione-sociale" } }) { name } }`);
    expect(res.body.data.themes).toEqual([{ name: 'Social integration of migrants' }]);
  });
});

describe('SEED_ON_EMPTY=false', () => {
  let kb: KnowledgeBase;
  beforeAll(async () => {
    kb = await startKnowledgeBase({ seed: false });
  });
  afterAll(async () => {
    await kb.stop();
  });

  test('starts with an empty knowledge base, still serving the API', async () => {
    for (const uid of PUBLIC_UIDS) expect(await kb.strapi.db.query(uid as any).count()).toBe(0);
    const res = await kb.graphql(`{ projects { title } }`);
    expect(res.status).toBe(200);
    expect(res.body.data.projects).toEqual([]);
  });
});
