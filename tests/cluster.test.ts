/**
 * Several Strapi nodes on one PostgreSQL behave as one service: they can start at the same time
 * on an empty database, and what an editor publishes through one node is what an anonymous
 * reader gets from another, straight away. (PostgreSQL only: SQLite is a single-node engine.)
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { createTestDatabase, testEngine, type TestDatabase } from './helpers/database';
import { editorToken, freePort, startNode, type StrapiNode } from './helpers/nodes';

const onPostgres = testEngine() === 'postgres' ? describe : describe.skip;

onPostgres('two nodes on one PostgreSQL', () => {
  let database: TestDatabase;
  let a: StrapiNode;
  let b: StrapiNode;

  beforeAll(async () => {
    database = await createTestDatabase();
    // Started together on an empty database: both want to create the schema and load the seed.
    [a, b] = await Promise.all([startNode(database.env), startNode(database.env)]);
  }, 240000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  // An editor registers on node A and makes an API token there, as in the admin panel (once: the first admin registers once).
  let token: string | undefined;
  const tokenOnA = async () => (token ??= await editorToken(a));

  const gql = async (node: StrapiNode, query: string, variables?: unknown) => {
    const res = await fetch(`${node.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    expect(res.status).toBe(200);
    return (await res.json()).data;
  };

  test('both start, one after the other, and the seed is loaded exactly once', async () => {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: database.env.DATABASE_URL });
    await client.connect();
    try {
      const rows = await client.query(
        `SELECT locale, (published_at IS NOT NULL) AS published, count(*)::int AS n FROM good_practices GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      expect(rows.rows).toEqual([
        { locale: 'en', published: false, n: 4 },
        { locale: 'en', published: true, n: 4 },
        { locale: 'it', published: false, n: 4 },
        { locale: 'it', published: true, n: 4 },
      ]);
    } finally {
      await client.end();
    }
    for (const node of [a, b]) expect((await gql(node, '{ thematicTables { slug } }')).thematicTables).toHaveLength(4);
    // The startup lock made the later node wait for the first one's seed and find the records there.
    const seeded = [a, b].filter((node) => /\[seed\] done: \d+ records created/.test(node.output()));
    expect(seeded).toHaveLength(1);
  });

  test('an edit published through node A is what an anonymous reader gets from node B at once', async () => {
    const token = await tokenOnA();

    const query = `{ themes(locale: "en", filters: { slug: { eq: "abitare-i-territori" } }) { documentId name } }`;
    const [before] = (await gql(b, query)).themes;
    expect(before.name).toBe('Living in local areas');

    for (const name of ['Living in local areas (edited on A)', 'Living in local areas (edited again)']) {
      const put = await fetch(`${a.url}/api/themes/${before.documentId}?locale=en`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ data: { name } }),
      });
      expect(put.status).toBe(200);
      expect((await gql(b, query)).themes).toEqual([{ documentId: before.documentId, name }]);
    }
  });

  test('a search on node B finds what node A renamed at once, through the index each node holds, and a rebuild makes B load it again', async () => {
    const token = await tokenOnA();
    const search = async (node: StrapiNode, query: string, pageSize = 50) =>
      (
        await gql(
          node,
          `query($q: String!, $size: Int) { search(query: $q, locale: "en", pagination: { pageSize: $size }) { total items { type slug } } }`,
          { q: query, size: pageSize },
        )
      ).search as { total: number; items: { type: string; slug: string }[] };
    const query = `{ themes(locale: "en", filters: { slug: { eq: "governance-dei-servizi" } }) { documentId name } }`;
    const [theme] = (await gql(b, query)).themes;
    expect((await search(b, 'zeppelin')).total).toBe(0);
    const rename = async (name: string) => {
      const put = await fetch(`${a.url}/api/themes/${theme.documentId}?locale=en`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ data: { name } }),
      });
      expect(put.status).toBe(200);
    };
    // The theme itself and the records that carry it (its name is searchable on them) are found on B.
    await rename('Zeppelin governance');
    const found = await search(b, 'zeppelin');
    expect(found.items).toContainEqual({ type: 'THEME', slug: 'governance-dei-servizi' });
    expect(found.items.filter((item) => item.type !== 'THEME').length).toBeGreaterThan(0);
    expect(found.total).toBe(found.items.length);
    await rename(theme.name);
    expect(await search(b, 'zeppelin')).toEqual({ total: 0, items: [] });

    // What a rebuild leaves in the log (store.ts rebuildEntries): B loads every entry again, so an entry gone
    // beneath the nodes is no longer counted (a node applying only the log's documents would still count it).
    const { Client } = await import('pg');
    const client = new Client({ connectionString: database.env.DATABASE_URL });
    await client.connect();
    try {
      const before = await search(b, 'governance');
      expect(before.items).toContainEqual({ type: 'THEME', slug: 'governance-dei-servizi' });
      await client.query(`DELETE FROM search_entries WHERE type = 'theme' AND document_id = $1`, [theme.documentId]);
      await client.query(`DELETE FROM search_index_log`);
      await client.query(`INSERT INTO search_index_log (type, document_id) VALUES ('*', '')`);
      // Another page size: the change beneath the nodes told no response cache.
      const after = await search(b, 'governance', 49);
      expect(after.items).not.toContainEqual({ type: 'THEME', slug: 'governance-dei-servizi' });
      expect(after.total).toBe(before.total - 1);
    } finally {
      await client.end();
    }
  });

  test('the nginx example of docs/deployment.md spreads requests and survives a stopping node', async () => {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-nginx-'));
    const example = fs.readFileSync(path.resolve(__dirname, '../docs/nginx.conf'), 'utf8');
    const [portA, portB] = [a, b].map((node) => new URL(node.url).port);
    const conf = example
      .replace('127.0.0.1:1337', `127.0.0.1:${portA}`)
      .replace('127.0.0.1:1338', `127.0.0.1:${portB}`)
      .replace('listen 8080;', `listen 127.0.0.1:${port};`)
      .replace(/\/tmp\/kb-nginx/g, path.join(dir, 'nginx'));
    fs.writeFileSync(path.join(dir, 'nginx.conf'), `error_log ${path.join(dir, 'error.log')};\n${conf}`);
    execFileSync('nginx', ['-c', path.join(dir, 'nginx.conf')]);
    const through = { url: `http://127.0.0.1:${port}` } as StrapiNode;
    try {
      for (let i = 0; i < 4; i += 1) expect((await gql(through, '{ projects { acronym } }')).projects).toEqual([{ acronym: 'Com.In.4.0' }]);
      expect(await a.stop()).toBe(0);
      // Node A is gone: every request still succeeds through node B.
      for (let i = 0; i < 4; i += 1) expect((await gql(through, '{ projects { acronym } }')).projects).toEqual([{ acronym: 'Com.In.4.0' }]);
    } finally {
      execFileSync('nginx', ['-c', path.join(dir, 'nginx.conf'), '-s', 'stop']);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
