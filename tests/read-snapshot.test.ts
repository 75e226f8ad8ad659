/**
 * Reads while editors publish: a record read together with its relations and components is one
 * consistent version, never a page record whose components a concurrent publication already
 * replaced (src/public-api/read-snapshot; the soak found it on PostgreSQL).
 */
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';
import { testEngine } from './helpers/database';
import { recordStatements } from './helpers/statements';

const GP = 'api::good-practice.good-practice';
const SLUG = 'forum-regionale-sui-fenomeni-migratori';
const LOOKUP = `query($slug: String!) { goodPractices(filters: { slug: { eq: $slug } }, locale: "it") {
  documentId title summary themes { slug } territories { slug } targetGroups { group } source { title note } } }`;

let kb: KnowledgeBase;
/** True while the editor of the first test republishes; readers stop when it turns false, even if that test fails. */
let publishing = false;
beforeAll(async () => {
  // Every read goes to the database (a cached answer would hide the race).
  kb = await startKnowledgeBase({ env: { RESPONSE_CACHE: 'false' } });
});
afterAll(async () => {
  publishing = false;
  await kb.stop();
});

const SEARCH = `{ search(query: "forum", locale: "it", pagination: { page: 1, pageSize: 10 }) { total items { slug title snippet } } }`;

test('lookups and searches answered while the same record is edited and republished 40 times: no error, always whole', async () => {
  const documents = kb.strapi.documents(GP as any);
  const [{ documentId, summary }] = (await kb.data(LOOKUP, { slug: SLUG })).goodPractices;
  // One listening server for the readers (supertest would open one per request).
  const server = kb.strapi.server.httpServer;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
  const answers: any[] = [];
  const searches: any[] = [];
  publishing = true;
  const editor = (async () => {
    try {
      for (let i = 0; i < 40; i += 1) {
        await documents.update({ documentId, locale: 'it', data: { summary: `${summary} [${i}]` } } as any);
        await documents.publish({ documentId, locale: 'it' } as any);
        // Let a few reads through before the next edit (SQLite's one connection would otherwise
        // serve the editor's writes back to back); the readers keep reading while it edits.
        const target = answers.length + 4;
        while (publishing && answers.length < target) await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      publishing = false;
    }
  })();
  const reader = async (query: string, into: any[]) => {
    while (publishing) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables: { slug: SLUG } }),
      });
      into.push(await res.json());
    }
  };
  await Promise.all([
    editor,
    reader(LOOKUP, answers),
    reader(LOOKUP, answers),
    reader(LOOKUP, answers),
    reader(LOOKUP, answers),
    reader(SEARCH, searches),
  ]);
  expect(answers.length).toBeGreaterThanOrEqual(160);
  for (const answer of answers) {
    expect(answer.errors).toBeUndefined();
    const [record] = answer.data.goodPractices;
    expect(record.source.title).toBeTruthy();
    expect(record.themes.length).toBeGreaterThan(0);
    expect(record.summary.startsWith(summary)).toBe(true);
  }
  // The search index entry of the record is replaced on each publication.
  expect(searches.length).toBeGreaterThan(0);
  for (const answer of searches) {
    expect(answer.errors).toBeUndefined();
    expect(answer.data.search.items.map((item: any) => item.slug)).toContain(SLUG);
  }
  // 80 writes and a few hundred populated reads: on a loaded 2-core CI machine with PostgreSQL
  // this can take longer than the default two minutes.
}, 300_000);

(testEngine() === 'postgres' ? test : test.skip)(
  'on PostgreSQL a read and everything it populates run in one REPEATABLE READ transaction',
  async () => {
    const recorded = await recordStatements(kb.strapi.db.connection, () =>
      kb.strapi
        .documents(GP as any)
        .findMany({ locale: 'it', status: 'published', filters: { slug: SLUG }, populate: ['themes', 'source', 'targetGroups'] } as any),
    );
    // Other work may still run in the background (start-up tasks, a capability reading the
    // practice in its own transaction): look only at the transaction filtering by slug.
    const read = recorded.transactionReading(/from "public"\."good_practices".*"slug"/)!;
    expect(read).toBeTruthy();
    expect(read.slice(0, 2)).toEqual(['BEGIN;', 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ']);
    for (const table of ['themes', 'components_shared_sources', 'components_shared_target_groups']) {
      expect(read.some((sql) => sql.includes(`from "public"."${table}"`))).toBe(true);
    }
    expect(read[read.length - 1]).toBe('COMMIT;');
  },
);
