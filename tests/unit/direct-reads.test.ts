/** The pure core of direct reads: what a selection plans, what it declines, and Strapi's page arithmetic. */
import { parse, type OperationDefinitionNode, type FragmentDefinitionNode } from 'graphql';
import { Declined, pageInfo, planRecords, readParams, shapeRecords, type RecordPlan } from '../../src/public-api/direct-reads/core';
import { compileRead, decodeRecord, NotCompiled } from '../../src/public-api/direct-reads/statement';
import { preparedReads, STATEMENTS_PER_CONNECTION, type KnexLike } from '../../src/public-api/direct-reads/prepared';
import type { Table } from '../../src/content/model/tables';
import { buildAllowList } from '../../src/public-api/public-access/allow-list';
import type { Model } from '../../src/content/model/core';

const models: Model[] = [
  {
    uid: 'api::practice.practice',
    attributes: {
      title: { type: 'string' },
      note: { type: 'text', private: true },
      themes: { type: 'relation', relation: 'manyToMany', target: 'api::theme.theme' },
      source: { type: 'component', component: 'shared.source' },
      localizations: { type: 'relation', relation: 'oneToMany', target: 'api::practice.practice' },
    },
  },
  { uid: 'api::theme.theme', attributes: { name: { type: 'string' } } },
  { uid: 'shared.source', modelType: 'component', attributes: { url: { type: 'string' } } },
];
const getModel = (uid: string) => models.find((model) => model.uid === uid)!;
const allowList = buildAllowList(models);

function plan(query: string) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((f) => [f.name.value, f]),
  );
  const root = operation.selectionSet.selections[0] as any;
  return planRecords([root.selectionSet], getModel('api::practice.practice'), { fragments, getModel, allowList });
}

test('fields and populate from the selection, through fragments, aliases and connections', () => {
  const planned = plan(`fragment S on Source { url } { practices {
    documentId title t: title __typename source { ...S id } ... on Practice { themes { name } } themes_connection { nodes { documentId } } } }`);
  expect(planned.fields).toEqual(['documentId', 'title']);
  expect(planned.connections).toEqual(['themes']);
  expect(readParams(planned)).toEqual({
    fields: ['documentId', 'title'],
    populate: { source: { fields: ['url', 'id'] }, themes: { fields: ['name', 'documentId'] } },
  });
});

test.each([
  ['a relation with arguments', `{ practices { themes(filters: {}) { name } } }`],
  ['a connection with arguments', `{ practices { themes_connection(sort: "name") { nodes { name } } } }`],
  ['a field that is not an attribute', `{ practices { jsonLd } }`],
  ['a private attribute', `{ practices { note } }`],
  ['localizations', `{ practices { localizations { title } } }`],
])('declines %s', (_name, query) => {
  expect(() => plan(query)).toThrow(Declined);
});

test('lists cut to the default page at every level, connections as { nodes }', () => {
  const planned = plan(`{ practices { themes { name } themes_connection { nodes { name } } } }`);
  const record: Record<string, unknown> = { themes: Array.from({ length: 30 }, (_, n) => ({ name: `t${n}` })) };
  shapeRecords(record, planned, getModel('api::practice.practice'), getModel, 25);
  expect(record.themes).toHaveLength(25);
  expect((record.themes_connection as { nodes: unknown[] }).nodes).toBe(record.themes);
});

test("Strapi's pageInfo: pages from start and limit, limit -1 as one page", () => {
  expect(pageInfo(51, 25, 25)).toEqual({ total: 51, page: 2, pageSize: 25, pageCount: 3 });
  expect(pageInfo(0, 0, 10)).toEqual({ total: 0, page: 1, pageSize: 10, pageCount: 0 });
  expect(pageInfo(7, 2, -1)).toEqual({ total: 7, page: 1, pageSize: 5, pageCount: 1 });
});

describe('one statement per read (statement.ts)', () => {
  const tables: Record<string, Table> = {
    practice: {
      name: 'practices',
      draftAndPublish: true,
      columns: {
        id: { column: 'id', type: 'increments' },
        title: { column: 'title', type: 'string' },
        startDate: { column: 'start_date', type: 'date' },
        publishedAt: { column: 'published_at', type: 'datetime' },
        open: { column: 'open', type: 'boolean' },
        extra: { column: 'extra', type: 'json' },
      },
      links: {
        themes: {
          target: 'theme',
          many: true,
          table: 'practices_themes_lnk',
          ownerColumn: 'practice_id',
          targetColumn: 'theme_id',
          conditions: {},
          orderBy: [['theme_ord', 'asc']],
        },
        source: {
          target: 'source',
          many: false,
          table: 'practices_cmps',
          ownerColumn: 'entity_id',
          targetColumn: 'cmp_id',
          conditions: { field: 'source' },
          orderBy: [['order', 'asc']],
        },
      },
    },
    theme: { name: 'themes', draftAndPublish: true, columns: { name: { column: 'name', type: 'string' } }, links: {} },
    source: { name: 'sources', draftAndPublish: false, columns: { url: { column: 'url', type: 'string' } }, links: {} },
  };
  const tableOf = (uid: string) => tables[uid];
  const planOf = (fields: string[], populate: Record<string, RecordPlan> = {}): RecordPlan => ({ fields, populate, connections: [] });

  test('records nested as JSON, bindings in the order of the text, a page ending its order with the id (on PostgreSQL, its bounds in the text)', () => {
    const plan = planOf(['title'], { source: planOf(['url']), themes: planOf(['name']) });
    const { sql, bindings } = compileRead('postgres', tableOf, 'practice', plan, {
      where: { title: { $in: ['a', 'b'] }, publishedAt: { $notNull: true } },
      orderBy: [{ title: 'desc' }],
      limit: 25,
      offset: 50,
    });
    expect(sql).toContain("json_build_object('title', t0.\"title\", 'source', (select json_build_object('url', t1.\"url\")");
    expect(sql).toContain('t2."published_at" is not null');
    expect(sql).toContain('json_agg(x.j order by x.o0 asc)');
    expect(sql).toMatch(/order by t0\."title" desc, t0\."id" asc limit 25 offset 50$/);
    expect(sql).toContain('t0."title" in ($2, $3)');
    expect(bindings).toEqual(['source', 'a', 'b']);
    const sqlite = compileRead('sqlite', tableOf, 'practice', plan, { where: { title: 'a' }, limit: 25, offset: 50 });
    expect(sqlite.sql).toContain('json_group_array(json(x.j) order by x.o0 asc)');
    expect(sqlite.sql).toMatch(/t0\."title" = \?\) order by t0\."id" asc limit \? offset \?$/);
    expect(sqlite.bindings).toEqual(['source', 'a', 25, 50]);
  });

  test('anything else is left to Strapi', () => {
    const plan = planOf(['title']);
    const refused = [
      { where: { themes: { name: 'x' } } },
      { where: { title: { $containsi: 'x' } } },
      { where: { startDate: { $lt: '2020-01-01' } } },
      { orderBy: [{ themes: { name: 'asc' } }] },
      { limit: -1 },
    ];
    for (const query of refused) expect(() => compileRead('sqlite', tableOf, 'practice', plan, query)).toThrow(NotCompiled);
    for (const bound of [2.5, -1, Number.MAX_SAFE_INTEGER + 2])
      expect(() => compileRead('postgres', tableOf, 'practice', plan, { limit: 25, offset: bound })).toThrow(NotCompiled);
    expect(() => compileRead('sqlite', tableOf, 'practice', planOf(['extra']), {})).toThrow(NotCompiled);
    expect(() => compileRead('sqlite', tableOf, 'practice', planOf(['title'], { unknown: planOf([]) }), {})).toThrow(NotCompiled);
  });

  test("values come back as Strapi's database layer gives them", () => {
    const plan = planOf(['id', 'open', 'publishedAt', 'startDate'], { themes: planOf(['name']), source: planOf(['url']) });
    const record = { id: 7, open: 1, publishedAt: 1700000000000, startDate: '2024-05-01', themes: [{ name: 'a' }], source: null };
    expect(decodeRecord(tableOf, 'practice', plan, record)).toEqual({
      id: 7,
      open: true,
      publishedAt: '2023-11-14T22:13:20.000Z',
      startDate: '2024-05-01',
      themes: [{ name: 'a' }],
      source: null,
    });
  });
});

describe('prepared one-statement reads', () => {
  /** A knex-like client over fake connections: what each connection was asked, and the query events. */
  function fakeKnex(connections: any[]) {
    const events: any[] = [];
    let next = 0;
    const knex: KnexLike = {
      client: {
        acquireConnection: async () => connections[next++ % connections.length],
        releaseConnection: async () => undefined,
        emit: (_event, query) => events.push(query),
      },
    };
    return { knex, events };
  }
  const sqliteConnection = () => {
    const prepared: string[] = [];
    const ran: string[] = [];
    // As better-sqlite3's: a statement that returns no rows (`reader` false) can only be run.
    const statement = (sql: string) =>
      sql.startsWith('INSERT')
        ? { reader: false, run: (bindings: unknown[]) => ran.push(`${sql}:${bindings}`) }
        : { reader: true, all: (bindings: unknown[]) => [{ j: `${sql}:${bindings}` }] };
    return { prepared, ran, prepare: (sql: string) => (prepared.push(sql), statement(sql)) };
  };
  const postgresConnection = () => {
    const asked: any[] = [];
    return {
      asked,
      query: async (query: any, values?: unknown[]) => (
        asked.push(typeof query === 'string' ? { text: query, values } : query),
        { rows: [] }
      ),
    };
  };

  test('SQLite runs a statement that returns no rows (an INSERT without RETURNING), prepared once too', async () => {
    const connection = sqliteConnection();
    const { knex } = fakeKnex([connection]);
    const run = preparedReads('sqlite');
    expect(await run(knex, 'INSERT INTO t VALUES (?)', [1])).toEqual([]);
    expect(await run(knex, 'INSERT INTO t VALUES (?)', [2])).toEqual([]);
    expect(connection).toMatchObject({
      prepared: ['INSERT INTO t VALUES (?)'],
      ran: ['INSERT INTO t VALUES (?):1', 'INSERT INTO t VALUES (?):2'],
    });
  });

  test('SQLite prepares a statement once per connection and keeps only the most recent ones', async () => {
    const [a, b] = [sqliteConnection(), sqliteConnection()];
    const { knex, events } = fakeKnex([a, b]);
    const run = preparedReads('sqlite');
    expect(await run(knex, 'select 1', [1])).toEqual([{ j: 'select 1:1' }]);
    await run(knex, 'select 1', [2]);
    await run(knex, 'select 1', [3]);
    expect([a.prepared, b.prepared]).toEqual([['select 1'], ['select 1']]);
    expect(events.map((event) => [event.sql, event.bindings])).toEqual([
      ['select 1', [1]],
      ['select 1', [2]],
      ['select 1', [3]],
    ]);
    // Past the bound the oldest statement is dropped: it is prepared again when it comes back.
    const { knex: one } = fakeKnex([a]);
    for (let n = 2; n <= STATEMENTS_PER_CONNECTION + 1; n++) await run(one, `select ${n}`, []);
    await run(one, 'select 1', []);
    expect(a.prepared.filter((sql) => sql === 'select 1')).toHaveLength(2);
    expect(a.prepared).toHaveLength(STATEMENTS_PER_CONNECTION + 2);
  });

  test('PostgreSQL names a statement by its text, and only the first shapes a connection runs', async () => {
    const connection = postgresConnection();
    const { knex } = fakeKnex([connection]);
    const run = preparedReads('postgres');
    await run(knex, 'select $1', ['a']);
    await run(knex, 'select $1', ['b']);
    const [first, second] = connection.asked;
    expect(first.name).toMatch(/^kb_read_[0-9a-f]{24}$/);
    expect(second).toEqual({ name: first.name, text: 'select $1', values: ['b'] });
    for (let n = 2; n <= STATEMENTS_PER_CONNECTION + 5; n++) await run(knex, `select ${n}`, []);
    const names = new Set(connection.asked.map((query) => query.name).filter(Boolean));
    expect(names.size).toBe(STATEMENTS_PER_CONNECTION);
    // Beyond them, statements run unnamed; the named ones stay named.
    expect(connection.asked.at(-1)).toEqual({ text: `select ${STATEMENTS_PER_CONNECTION + 5}`, values: [] });
    await run(knex, 'select $1', ['c']);
    expect(connection.asked.at(-1).name).toBe(first.name);
  });
});
