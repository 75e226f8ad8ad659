/**
 * A node stops cleanly: on SIGTERM it takes no new connections, finishes the request in
 * flight, closes its database pool and exits 0. Readiness reports it.
 */
import http from 'http';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startNode, type StrapiNode } from './helpers/nodes';

let database: TestDatabase;
let node: StrapiNode;
beforeAll(async () => {
  database = await createTestDatabase();
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
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      }
    );
    req.on('error', reject);
    // The request is in flight: headers and half the body sent, the rest comes after SIGTERM.
    req.write(body.slice(0, half));
    setTimeout(() => node.process.kill('SIGTERM'), 300);
    setTimeout(() => req.end(body.slice(half)), 1500);
  });

  await new Promise((r) => setTimeout(r, 900));
  await expect(fetch(`${node.url}/_health`)).rejects.toThrow();

  const answer = await response;
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.text)).toEqual({ data: { themes: [] } });
  expect(await node.exited).toBe(0);
  expect(node.output()).toMatch(/\[shutdown\] SIGTERM/);
});
