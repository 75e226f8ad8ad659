/**
 * PostgreSQL restarts under load: requests during the outage get a fast 503 with a clear
 * message (never a hang, a 500 or a crash), and the node recovers by itself once the database
 * is back. Uses a PostgreSQL server that this test owns, on its own port.
 */
import { createPostgresDatabase, testEngine, type TestDatabase } from './helpers/database';
import { startNode, waitFor, type StrapiNode } from './helpers/nodes';
import { createPgCluster, type PgCluster } from './helpers/pg-cluster';

const onPostgres = testEngine() === 'postgres' ? describe : describe.skip;

onPostgres('database outage', () => {
  let cluster: PgCluster;
  let database: TestDatabase;
  let node: StrapiNode;

  beforeAll(async () => {
    cluster = await createPgCluster();
    database = await createPostgresDatabase(cluster.url);
    node = await startNode(database.env);
  }, 180000);
  afterAll(async () => {
    await node?.stop();
    cluster?.destroy();
  });

  type Outcome = { path: string; status: number; ms: number; body: string };
  const request = async (path: string, init?: RequestInit): Promise<Outcome> => {
    const started = Date.now();
    const res = await fetch(`${node.url}${path}`, init);
    return { path, status: res.status, ms: Date.now() - started, body: await res.text() };
  };
  const graphql = () =>
    request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ goodPractices { title themes { name } } }' }) });
  const rest = () => request('/api/outcomes?populate=project');

  test('a restart under load gives fast 503s, never a 500, and the node recovers by itself', async () => {
    const outcomes: Outcome[] = [];
    let load = true;
    const worker = async () => {
      while (load) outcomes.push(await graphql(), await rest());
    };
    const workers = [worker(), worker(), worker()];
    try {
      await new Promise((r) => setTimeout(r, 500));
      await cluster.stop();
      expect(node.process.exitCode).toBeNull();

      // During the outage: clear 503s, quickly, in each API's own error shape.
      const [gql, api] = [await graphql(), await rest()];
      for (const outcome of [gql, api]) {
        expect(outcome.status).toBe(503);
        expect(outcome.ms).toBeLessThan(3000);
        expect(outcome.body).toMatch(/database cannot be reached/);
        expect(outcome.body).not.toMatch(/ECONNREFUSED|node_modules|at [A-Za-z.]+ \(/);
      }
      expect(JSON.parse(gql.body).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      expect(JSON.parse(api.body).error.status).toBe(503);
      // Liveness stays up; readiness says why the node is not ready.
      expect((await request('/_health')).status).toBe(204);
      const ready = await request('/_ready');
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body)).toMatchObject({ status: 'unavailable' });

      await new Promise((r) => setTimeout(r, 1000));
      await cluster.start();
      await waitFor(async () => (await graphql()).status === 200, 30000, () => `node did not recover:\n${node.output().split("\n").filter((l) => !/ (GET|POST) \//.test(l)).slice(-30).join("\n")}`, node.exited);
    } finally {
      load = false;
      await Promise.allSettled(workers);
      if (node.process.exitCode !== null) console.log(`node exited ${node.process.exitCode}:\n${node.output().split('\n').filter((l) => !/ (GET|POST) \//.test(l)).slice(-40).join('\n')}`);
    }

    expect((await request('/_ready')).status).toBe(200);
    expect(JSON.parse((await graphql()).body).data.goodPractices).toHaveLength(4);
    const unexpected = outcomes.filter((o) => o.status !== 200 && o.status !== 503);
    expect(unexpected.map((o) => `${o.path} ${o.status} ${o.body.slice(0, 200)}`)).toEqual([]);
    // Requests caught in flight wait at most for a connection (DATABASE_CONNECTION_TIMEOUT, 5 s): never a hang.
    const slow = outcomes.filter((o) => o.ms > 7000);
    expect(slow.map((o) => `${o.path} ${o.status} ${o.ms} ms`)).toEqual([]);
    expect(node.process.exitCode).toBeNull();
  }, 120000);
});
