/**
 * PostgreSQL restarts under load: requests during the outage get a 503 with a clear message
 * while it is still down (never a hang, a 500 or a crash), and the node recovers by itself once
 * the database is back. Uses a PostgreSQL server that this test owns, on its own port.
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

  type Outcome = { path: string; status: number; body: string; duringOutage: boolean };
  let outage: 'before' | 'down' | 'after' = 'before';
  const request = async (path: string, init?: RequestInit): Promise<Outcome> => {
    const startedDuringOutage = outage === 'down';
    const res = await fetch(`${node.url}${path}`, init);
    const body = await res.text();
    // Sent and answered while the database was down: the node did not wait for it to come back.
    return { path, status: res.status, body, duringOutage: startedDuringOutage && outage === 'down' };
  };
  const graphql = () =>
    request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ goodPractices { title themes { name } } }' }),
    });
  const rest = () => request('/api/outcomes?populate=project');

  test('a restart under load gives 503s while it is down, never a 500 or a hang, and the node recovers by itself', async () => {
    const outcomes: Outcome[][] = [[], [], []];
    let load = true;
    const worker = async (mine: Outcome[]) => {
      while (load) mine.push(await graphql(), await rest());
    };
    const workers = outcomes.map(worker);
    const logTail = () =>
      node
        .output()
        .split('\n')
        .filter((l) => !/ (GET|POST) \//.test(l))
        .slice(-30)
        .join('\n');
    try {
      // Under load: every worker has had answers before the database goes.
      await waitFor(
        async () => outcomes.every((mine) => mine.some((o) => o.status === 200)),
        60000,
        () => `no load:\n${logTail()}`,
        node.exited,
      );
      await cluster.stop();
      outage = 'down';
      expect(node.process.exitCode).toBeNull();

      // During the outage: clear 503s, in each API's own error shape, answered while it is still down.
      const [gql, api] = [await graphql(), await rest()];
      for (const outcome of [gql, api]) {
        expect(outcome.status).toBe(503);
        expect(outcome.duringOutage).toBe(true);
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

      // Requests caught in flight end too, without the database (never a hang): each worker has
      // had a request sent and answered during the outage.
      await waitFor(
        async () => outcomes.every((mine) => mine.some((o) => o.duringOutage)),
        60000,
        () => `a request hangs:\n${logTail()}`,
        node.exited,
      );
      await cluster.start();
      outage = 'after';
      await waitFor(
        async () => (await graphql()).status === 200,
        30000,
        () => `node did not recover:\n${logTail()}`,
        node.exited,
      );
    } finally {
      load = false;
      await Promise.allSettled(workers);
      if (node.process.exitCode !== null) console.log(`node exited ${node.process.exitCode}:\n${logTail()}`);
    }

    expect((await request('/_ready')).status).toBe(200);
    expect(JSON.parse((await graphql()).body).data.goodPractices).toHaveLength(4);
    const unexpected = outcomes.flat().filter((o) => o.status !== 200 && o.status !== 503);
    expect(unexpected.map((o) => `${o.path} ${o.status} ${o.body.slice(0, 200)}`)).toEqual([]);
    expect(node.process.exitCode).toBeNull();
  }, 120000);
});
