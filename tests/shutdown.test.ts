/**
 * A node stops cleanly: on SIGTERM it takes no new connections, finishes the request in
 * flight, closes its database pool and exits 0. Readiness reports it.
 */
import http from 'http';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startNode, waitFor, type StrapiNode } from './helpers/nodes';

let database: TestDatabase;
let node: StrapiNode;
beforeAll(async () => {
  database = await createTestDatabase('empty');
  node = await startNode({ ...database.env, SEED_ON_EMPTY: 'false' });
});
afterAll(async () => {
  await node?.stop();
  await database?.drop();
});

test('readiness is 200 while the node can serve', async () => {
  const res = await fetch(`${node.url}/_ready`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ready' });
});

test('SIGTERM lets the request in flight finish, refuses new ones, and exits 0', async () => {
  const body = JSON.stringify({ query: '{ themes { name } }' });
  const half = Math.floor(body.length / 2);
  const url = new URL(`${node.url}/graphql`);
  let inFlight!: () => void;
  const received = new Promise<void>((resolve) => (inFlight = resolve));
  let req!: http.ClientRequest;
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: '/graphql',
        method: 'POST',
        // The server's "100 Continue" says it has read the headers: the request is in flight.
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      },
    );
    req.on('continue', inFlight);
    req.on('error', reject);
    req.flushHeaders();
  });
  await received;
  req.write(body.slice(0, half));

  node.process.kill('SIGTERM');
  // Stopping: new connections are refused while the request in flight still waits for its body.
  const refused = () =>
    fetch(`${node.url}/_health`).then(
      () => false,
      () => true,
    );
  await waitFor(refused, 30000, () => `still taking connections after SIGTERM:\n${node.output()}`, node.exited);

  req.end(body.slice(half));
  const answer = await response;
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.text)).toEqual({ data: { themes: [] } });
  expect(await node.exited).toBe(0);
  expect(node.output()).toMatch(/\[shutdown\] SIGTERM/);
});
