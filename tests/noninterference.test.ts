/**
 * Noninterference: no anonymous answer depends on hidden content. Two instances hold the same
 * published knowledge; the second also holds drafts, unpublished edits, never-published
 * languages, private fields and people without consent (tests/helpers/noninterference/content.ts).
 * Requests generated from what the server offers (tests/helpers/noninterference/generator.ts)
 * go to both, and every answer must be the same. Also checked on the way: no request gets a
 * 5xx, and a path the router serves in another spelling gets the same answer and protections.
 *
 * NONINTERFERENCE_SEED replays a run; NONINTERFERENCE_REQUESTS sends more (default 5000).
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { compare, type Mismatch } from './helpers/noninterference/compare';
import { generateProbes, INTROSPECTION_QUERY, type Introspection } from './helpers/noninterference/generator';
import { startInstances, type Instances } from './helpers/noninterference/instances';

const SEED = Number(process.env.NONINTERFERENCE_SEED ?? 15);
const REQUESTS = Number(process.env.NONINTERFERENCE_REQUESTS ?? 5000);
// Three requests in flight per instance: both nodes stay busy without starving the machine.
const CONCURRENCY = 3;
const SHOWN = 15;

let instances: Instances;
beforeAll(async () => {
  instances = await startInstances();
}, 600000);
afterAll(async () => {
  await instances?.stop();
});

async function introspect(url: string): Promise<Introspection> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: INTROSPECTION_QUERY }),
  });
  const body = await res.json();
  if (res.status !== 200 || body.errors) throw new Error(`introspection refused: ${res.status} ${JSON.stringify(body.errors)}`);
  return body.data.__schema;
}

/** The files the open-data catalogue lists, and the catalogue itself. */
async function openDataFiles(url: string): Promise<string[]> {
  const catalogue = await (await fetch(`${url}/open-data/catalog.jsonld`)).text();
  return [...new Set(['catalog.jsonld', ...[...catalogue.matchAll(/\/open-data\/([\w.-]+)/g)].map((m) => m[1])])];
}

test(
  `${REQUESTS} generated anonymous requests (seed ${SEED}) get the same answers with and without hidden content`,
  async () => {
    const { public: pub, hidden } = instances;
    const files = await openDataFiles(pub.url);
    expect(files.length).toBeGreaterThan(2);
    const probes = generateProbes({
      seed: SEED,
      count: REQUESTS,
      schema: await introspect(pub.url),
      model: instances.model,
      facts: instances.facts,
      openDataFiles: files,
    });

    const mismatches: Mismatch[] = [];
    let sent = 0;
    const worker = async () => {
      for (let next = probes.next(); !next.done; next = probes.next()) {
        sent += 1;
        mismatches.push(...(await compare(pub.url, hidden.url, next.value)));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(sent).toBe(REQUESTS);
    for (const node of [pub, hidden]) {
      if (node.process.exitCode !== null)
        throw new Error(`a node stopped during the run (exit ${node.process.exitCode}):\n${node.output().slice(-3000)}`);
    }

    if (mismatches.length) {
      const report = path.join(os.tmpdir(), `noninterference-${SEED}-${process.pid}.json`);
      fs.writeFileSync(report, JSON.stringify(mismatches, null, 1));
      const counts = new Map<string, number>();
      for (const m of mismatches) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
      const shown = mismatches
        .slice(0, SHOWN)
        .map((m) => `- ${m.kind}\n    ${m.request}\n${m.differences.map((d) => `      ${d}`).join('\n')}`)
        .join('\n');
      throw new Error(
        `${mismatches.length} mismatches in ${sent} requests (seed ${SEED}; NONINTERFERENCE_SEED=${SEED} replays them): ` +
          `${[...counts].map(([k, n]) => `${n} × ${k}`).join(', ')}.\nAll of them: ${report}\nThe first ${Math.min(SHOWN, mismatches.length)} ($KB is an instance's address):\n${shown}`,
      );
    }
  },
  120000 + REQUESTS * 500,
);
