/**
 * `npm run soak` itself, briefly: a production node on its own database takes the whole mixed
 * workload (reads, searches, published edits) without an error, and the soak reports its memory
 * from collected samples. The long runs and their figures are in the notes, not in assertions.
 */
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { testEngine } from './helpers/database';

const run = (args: string[]) =>
  new Promise<{ code: number; output: string }>((resolve) => {
    execFile(process.execPath, [path.join(__dirname, '../scripts/soak.js'), ...args], { timeout: 180_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as any).code ?? 1) : 0, output: stdout + stderr }),
    );
  });

test('a short soak: every kind of request answered, memory read after collection', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-soak-test-'));
  const out = path.join(dir, 'soak.json');
  try {
    // dist/ is built by the test setup; compiling again here would rewrite it under other suites.
    const { code, output } = await run([
      '--minutes',
      '0.25',
      '--warmup',
      '3',
      '--connections',
      '4',
      '--engine',
      testEngine(),
      '--out',
      out,
      '--no-compile',
    ]);
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toContain('error rate 0.000 %');
    const result = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(result.errors).toBe(0);
    // The GraphQL reads go through the response cache: its hit rate is reported.
    expect(output).toMatch(/response cache hit rate \d+\.\d %/);
    expect(result.cacheHitRate).toBeGreaterThan(0);
    expect(Object.keys(result.scenarios).sort()).toEqual([
      'editor write (published)',
      'graphql event page',
      'graphql list',
      'graphql search',
      'graphql slug lookup',
      'rest read',
    ]);
    for (const scenario of Object.values<any>(result.scenarios)) expect(scenario.requests).toBeGreaterThan(0);
    // One collected sample after warm-up, one at the end.
    expect(result.collected.length).toBeGreaterThanOrEqual(2);
    for (const key of ['rss', 'heap']) {
      expect(result[key].start).toBeGreaterThan(50 * 1024 * 1024);
      expect(Number.isFinite(result[key].percent)).toBe(true);
    }
    // The worker threads' isolates are collected and measured too: the search thread's, and on SQLite the two readers'.
    const names = result.collected[result.collected.length - 1].threads.map((thread: { name: string }) => thread.name);
    expect(names).toEqual(testEngine() === 'sqlite' ? ['thread-worker.js', 'worker.js', 'worker.js'] : ['thread-worker.js']);
    for (const thread of result.collected[0].threads) expect(thread.heapUsed).toBeGreaterThan(1024 * 1024);
    expect(output).toMatch(/worker threads' heaps \(thread-worker\.js.*\) \d+\.\d MB -> \d+\.\d MB/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 240_000);
