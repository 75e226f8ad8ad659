/**
 * No N+1 in GraphQL lists: the SQL statements of a list query do not grow with its page size,
 * and the batched answers are exactly what Strapi's own per-record resolvers give.
 */
import path from 'path';
import { recordStatements } from './helpers/statements';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

const appDir = path.resolve(__dirname, '..');
const synthetic = () => require(path.join(appDir, 'dist/src/publishing/synthetic'));
const quiet = { log: () => undefined };

const LIST = `query List($pageSize: Int!) {
  goodPractices(locale: "it", filters: { slug: { startsWith: "synthetic-" } }, sort: "slug", pagination: { pageSize: $pageSize }) {
    slug title
    themes { slug name }
    territories { slug name }
    leadOrganization { slug name }
    project { acronym }
  }
}`;

/** Every kind of relation, component, media, nested level, alias, fragment and connection, on the seeded content. */
const RICH = `
fragment Place on Territory { slug name level nutsCode parent { slug name parent { slug } } }
query Rich($locale: I18NLocaleCode) {
  goodPractices(locale: $locale, sort: "slug", pagination: { pageSize: 70 }) {
    slug title targetGroups { group } source { title url note } attachments { name url }
    themes { slug name parent { slug } } territories { ...Place }
    leadOrganization { slug name territory { ...Place } } partnerOrganizations_connection { nodes { slug } }
    project { acronym title partners { role organization { slug } } coordinator { fullName } }
    trainings { slug } thematicTables { slug event { slug } } outcomes { slug value }
    narrowThemes: themes(filters: { slug: { startsWith: "a" } }) { slug }
  }
  events(locale: $locale, sort: "slug") {
    slug venue { name city } agenda { time title kind speakers { fullName affiliations { organization { slug } } } thematicTable { slug } }
    organizers { slug } thematicTables { slug facilitators { fullName } } themes_connection { nodes { slug } } territory { ...Place }
  }
  thematicTables_connection(locale: $locale, sort: "order") { nodes { slug order event { slug } goodPractices { slug } participatingOrganizations { slug } } pageInfo { total } }
  trainings(locale: $locale, sort: "slug") { slug venue { name } territory { slug } themes { slug } trainers { fullName } organizers { slug } }
  outcomes(locale: $locale, sort: "slug") { slug value territory { slug } themes { slug } project { acronym } }
  organizations(locale: $locale, sort: "slug") { slug territory { ...Place } ledGoodPractices { slug } }
  projects(locale: $locale) { acronym funding { fund } territories { slug } }
  people(sort: "fullName") { fullName affiliations { jobTitle organization { slug } } }
}`;

describe('batched relations in GraphQL lists', () => {
  let kb: KnowledgeBase;

  beforeAll(async () => {
    // The comparison query asks for everything at once, beyond what a partner may ask; every
    // request is resolved (the response cache would answer repeats without a statement). Without
    // batching it runs hundreds of statements: on a loaded machine past the 10 s execution limit,
    // whose cut-off fields would come back null and spoil the comparison; its hundreds of reads at
    // once can also wait longer for a connection than the 5 s a production request waits.
    // Batching is a part of Strapi's resolvers: direct reads, which answer these lists without them
    // (tests/direct-reads.test.ts), are off here. The webhook dispatcher, which polls in a short
    // transaction of its own every second, is off too: its statements would count as the request's.
    kb = await startKnowledgeBase({
      env: {
        GRAPHQL_MAX_COST: '10000000',
        RESPONSE_CACHE: 'false',
        GRAPHQL_TIMEOUT_MS: '120000',
        DATABASE_CONNECTION_TIMEOUT: '60000',
        GRAPHQL_DIRECT_READS: 'false',
        WEBHOOKS_ENABLED: 'false',
      },
    });
    await synthetic().seedSyntheticContent(kb.strapi, { practices: 60, seed: 3, ...quiet });
  });
  afterAll(async () => {
    await kb.stop();
  });

  const batching = (on: boolean) => kb.strapi.config.set('performance.batchRelations', on);

  /** The SQL statements run while the server answers one request, and the request's own (those of the transaction it reads in). */
  async function statements(send: () => Promise<{ body: any }>): Promise<{ sql: string[]; request: string[]; body: any }> {
    const recorded = await recordStatements(kb.strapi.db.connection, send);
    const request = recorded.transactionReading(/from [`"](public[`"]\.[`"])?good_practices[`"]/) ?? [];
    return { sql: recorded.sql, request, body: recorded.result.body };
  }

  /** Link tables and related records: a statement outside the request's transaction may not read them. */
  const RELATED = /(themes|territories|organizations|projects|_lnk)[`"]/;

  test('a list with four relations runs the same statements for 5 records as for 50, at most one per relation plus one', async () => {
    batching(true);
    // A first request pays for what Strapi loads once.
    await kb.data(LIST, { pageSize: 5 });
    const five = await statements(() => kb.graphql(LIST, { pageSize: 5 }));
    const fifty = await statements(() => kb.graphql(LIST, { pageSize: 50 }));
    expect(five.body.errors).toBeUndefined();
    expect(fifty.body.data.goodPractices).toHaveLength(50);
    expect(fifty.body.data.goodPractices.every((p: any) => p.themes.length && p.territories.length && p.leadOrganization)).toBe(true);
    expect(fifty.request.length).toBe(five.request.length);
    // Besides the reads: the transaction's own statements (on PostgreSQL at REPEATABLE READ, one snapshot).
    const reads = fifty.request.filter((sql) => !/^(BEGIN|COMMIT|SET TRANSACTION)/i.test(sql));
    expect(fifty.request.length - reads.length).toBeLessThanOrEqual(3);
    expect(reads.length).toBeLessThanOrEqual(1 + 4);
    expect(reads.filter((sql) => RELATED.test(sql))).toHaveLength(4);
    // No relation is read beside the transaction, where a per-record resolver would escape the count.
    expect(fifty.sql.filter((sql) => !fifty.request.includes(sql) && RELATED.test(sql))).toEqual([]);
  });

  test("without batching Strapi's resolvers query once per record (what batching removes)", async () => {
    batching(false);
    try {
      const five = await statements(() => kb.graphql(LIST, { pageSize: 5 }));
      const fifty = await statements(() => kb.graphql(LIST, { pageSize: 50 }));
      expect(fifty.sql.length).toBeGreaterThan(five.sql.length + 4 * 45 - 1);
    } finally {
      batching(true);
    }
  });

  test.each(['it', 'en'])('every kind of field answers exactly as without batching (%s)', async (locale) => {
    batching(false);
    const stock = await statements(() => kb.graphql(RICH, { locale }));
    expect(stock.body.errors).toBeUndefined();
    batching(true);
    const batched = await statements(() => kb.graphql(RICH, { locale }));
    expect(batched.body.errors).toBeUndefined();
    expect(batched.body.data).toEqual(stock.body.data);
    expect(batched.sql.length).toBeLessThan(stock.sql.length / 5);
    expect(stock.body.data.goodPractices.length).toBe(64);
    expect(stock.body.data.events.some((event: any) => event.agenda.some((item: any) => item.speakers.length))).toBe(true);
  });

  test('a relation to an unpublished record stays hidden, batched or not', async () => {
    const theme = await kb.strapi
      .documents('api::theme.theme')
      .create({ locale: 'it', data: { name: 'Tema in bozza', slug: 'tema-in-bozza' } as any });
    const [practice] = await kb.strapi
      .documents('api::good-practice.good-practice')
      .findMany({ locale: 'it', status: 'draft', filters: { slug: { $startsWith: 'synthetic-' } }, populate: ['themes'] } as any);
    const themes = [...(practice as any).themes.map((t: any) => t.documentId), theme.documentId];
    await kb.strapi
      .documents('api::good-practice.good-practice')
      .update({ documentId: practice.documentId, locale: 'it', data: { themes } as any });
    await kb.strapi.documents('api::good-practice.good-practice').publish({ documentId: practice.documentId, locale: 'it' });

    const query = `{ goodPractices(locale: "it", filters: { documentId: { eq: "${practice.documentId}" } }) { themes { slug } themes_connection { nodes { slug } } } }`;
    for (const on of [false, true]) {
      batching(on);
      const [read] = (await kb.data(query)).goodPractices;
      expect(read.themes.length).toBe(themes.length - 1);
      expect(JSON.stringify(read)).not.toContain('tema-in-bozza');
      expect(read.themes_connection.nodes).toEqual(read.themes);
    }
  });
});
