#!/usr/bin/env node
// `npm run soak -- --minutes 10`: a production node (compiled dist/) on a fresh database driven by
// a mixed partner workload (GraphQL lists, slug lookups, searches, REST reads, and a few editor
// writes through an API token, published) for N minutes. Prints progress each minute, then the
// error rate, p50/p99 and the node's memory drift. Memory is read through the node's inspector:
// each minute after a full garbage collection (RSS and live heap then are what a leak raises;
// under load V8 lets garbage pile up and keeps the pages it grew, so a plain sample mostly
// measures when the last collection ran), and every 10 s without one for the peak under load.
// Worker threads (search, SQLite readers) are isolates of their own: each is collected and its heap
// reported beside the main thread's.
// Drift compares the collected figures at the end with those right after warm-up.
// `--engine postgres`, `--connections 8`, `--warmup 60` (seconds), `--seed 1`; `--out FILE` (default
// bench/results/<time>-soak-<engine>.json); `--no-compile` when dist/ is already built (tests).
// Rate limits are off on the node: this measures the server, not the limiter.
const fs = require('fs');
const path = require('path');
const { compileStrapi } = require('@strapi/strapi');
const { appDir, runScript } = require('./lib/app');
const { createDatabase } = require('./lib/databases');
const { startNode, editorToken, processMemory } = require('./lib/nodes');
const { connectInspector } = require('./lib/inspector');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const minutes = Number(option('minutes', 10));
const engine = option('engine', 'sqlite');
const connections = Number(option('connections', 8));
const warmupSeconds = Number(option('warmup', 60));
const seed = Number(option('seed', 1));
const out = option(
  'out',
  path.join(appDir, 'bench', 'results', `${new Date().toISOString().slice(0, 16).replace(':', '')}-soak-${engine}.json`),
);
const compile = !args.includes('--no-compile');
const log = (line) => console.log(`[soak] ${line}`);

/** mulberry32, so that two runs send the same mix. */
function prng(s) {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LIST = `{ goodPractices(locale: "en", sort: "title") { slug title summary implementationStatus themes { slug name } territories { name nutsCode } } }`;
const BY_SLUG = `query($slug: String!, $locale: I18NLocaleCode) { goodPractices(filters: { slug: { eq: $slug } }, locale: $locale) {
  documentId title summary themes { slug name } territories { slug name nutsCode } source { title note } license } }`;
const EVENT = `{ events(filters: { slug: { eq: "final-workshop-potenza" } }, pagination: { pageSize: 1 }) { title startDate venue { name city }
  agenda { time kind title speakers { fullName } thematicTable { title } } } }`;
const SEARCH = `query($query: String!, $locale: I18NLocaleCode) { search(query: $query, locale: $locale, pagination: { page: 1, pageSize: 10 }) { total items { type slug title snippet } } }`;
const WORDS = {
  it: ['formazione', 'governance', 'minori stranieri', 'territori', 'rete', 'operatori pubblici'],
  en: ['training', 'network', 'migrants', 'integration', 'forum'],
};

/** The mix: [weight, name, make request]. */
function scenarios(url, token, practices) {
  const gql = (query, variables) => ({
    url: `${url}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  let edits = 0;
  return [
    [30, 'graphql list', () => gql(LIST)],
    [
      25,
      'graphql slug lookup',
      (r) => {
        const p = practices[Math.floor(r() * practices.length)];
        return gql(BY_SLUG, { slug: p.slug, locale: r() < 0.5 ? 'it' : 'en' });
      },
    ],
    [10, 'graphql event page', () => gql(EVENT)],
    [
      15,
      'graphql search',
      (r) => {
        const locale = r() < 0.6 ? 'it' : 'en';
        const words = WORDS[locale];
        return gql(SEARCH, { query: words[Math.floor(r() * words.length)], locale });
      },
    ],
    [
      18,
      'rest read',
      (r) => ({
        url: `${url}/api/${['good-practices', 'themes', 'outcomes', 'territories'][Math.floor(r() * 4)]}?locale=${r() < 0.5 ? 'it' : 'en'}&populate=*`,
      }),
    ],
    [
      2,
      'editor write (published)',
      () => {
        const p = practices[(edits += 1) % practices.length];
        return {
          url: `${url}/api/good-practices/${p.documentId}?locale=it`,
          method: 'PUT',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ data: { summary: `${p.summary.slice(0, 500)} [soak ${edits}]` } }),
        };
      },
    ],
  ];
}

/**
 * Linux only: how much of the node's resident memory is anonymous (heaps: V8's, malloc's for
 * Buffers and native libraries) and how much maps files (code, the database file). RSS growth with
 * a flat live heap and flat external memory is then either native allocations or file pages.
 */
function residentKinds(pid) {
  try {
    const { RssAnon, RssFile } = processMemory(pid, ['RssAnon', 'RssFile']);
    return { rssAnon: RssAnon, rssFile: RssFile };
  } catch {
    return {};
  }
}

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0);
const sum = (items, key) => items.reduce((total, item) => total + item[key], 0);
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main() {
  log(`${compile ? 'compiling the app; then ' : ''}${warmupSeconds} s warm-up and ${minutes} min on ${engine}, ${connections} connections`);
  if (compile) await compileStrapi({ appDir });
  const database = await createDatabase(engine);
  // The inspector listens on loopback only, on a free port; this node is the soak's own.
  // Start-up seeds the database; on a busy machine that can take minutes.
  const env = { ...database.env, LOG_LEVEL: 'warn', NODE_OPTIONS: '--inspect=127.0.0.1:0' };
  const node = await startNode(env, { startTimeoutMs: 600_000 }).catch(async (error) => {
    await database.drop(); // a node that did not start leaves no database behind
    throw error;
  });
  const inspector = await connectInspector(node.output);
  try {
    const token = await editorToken(node, 'soak@example.org');
    const list = await fetch(`${node.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ goodPractices(locale: "it") { documentId slug summary } }' }),
    }).then((r) => r.json());
    const practices = list.data.goodPractices;
    const mix = scenarios(node.url, token, practices);
    const total = mix.reduce((sum, [w]) => sum + w, 0);
    const random = prng(seed);
    const choose = () => {
      let x = random() * total;
      for (const entry of mix) if ((x -= entry[0]) < 0) return entry;
      return mix[0];
    };

    const stats = {
      minute: { latencies: [], errors: 0 },
      all: { latencies: [], errors: 0, requests: 0 },
      byScenario: {},
      firstErrors: [],
      cache: { hits: 0, misses: 0 },
    };
    let measuring = false;
    let stopAt = Date.now() + warmupSeconds * 1000;
    const worker = async () => {
      while (Date.now() < stopAt) {
        const [, name, make] = choose();
        const req = make(random);
        const started = performance.now();
        let ok = false;
        let detail = '';
        try {
          const res = await fetch(req.url, { method: req.method || 'GET', headers: req.headers, body: req.body });
          const text = await res.text();
          const cache = res.headers.get('x-cache');
          if (measuring && cache) stats.cache[cache === 'HIT' ? 'hits' : 'misses'] += 1;
          // A GraphQL answer with errors is an error too, whatever its status.
          ok = res.ok && !/"errors":\[/.test(text);
          if (!ok) detail = `${res.status} ${text.slice(0, 200)}`;
        } catch (error) {
          detail = error.message;
        }
        if (!measuring) continue;
        const ms = performance.now() - started;
        const s = (stats.byScenario[name] ??= { latencies: [], errors: 0 });
        for (const bucket of [stats.minute, stats.all, s]) {
          bucket.latencies.push(ms);
          if (!ok) bucket.errors += 1;
        }
        stats.all.requests += 1;
        // The first two errors of each kind of request.
        if (!ok && stats.firstErrors.filter((e) => e.startsWith(`${name}:`)).length < 2) stats.firstErrors.push(`${name}: ${detail}`);
      }
    };

    log('warm-up');
    await Promise.all(Array.from({ length: connections }, worker));
    // Collected samples (one a minute) and the peak of plain ones (every 10 s); one at a time.
    const collected = [];
    const peak = { rss: 0, heapUsed: 0 };
    let sampling = Promise.resolve();
    const sample = (collect) =>
      (sampling = sampling
        .catch(() => undefined)
        .then(async () => {
          const usage = await inspector.memoryUsage({ collect });
          if (collect) {
            const threads = await inspector.threadHeaps({ collect });
            collected.push({
              at: Date.now(),
              ...usage,
              threads,
              threadsHeapUsed: sum(threads, 'heapUsed'),
              ...residentKinds(node.process.pid),
            });
          }
          peak.rss = Math.max(peak.rss, usage.rss);
          peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed);
        }));
    await sample(true);
    measuring = true;
    const started = Date.now();
    stopAt = started + minutes * 60_000;
    const sampler = setInterval(() => sample(false).catch((e) => log(`memory sample failed: ${e.message}`)), 10_000);
    const progress = setInterval(async () => {
      const sorted = stats.minute.latencies.sort((a, b) => a - b);
      const line = `minute ${Math.round((Date.now() - started) / 60_000)}/${minutes}: ${sorted.length} requests (${(sorted.length / 60).toFixed(0)}/s), ${stats.minute.errors} errors, p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms`;
      stats.minute = { latencies: [], errors: 0 };
      try {
        await sample(true);
        const last = collected[collected.length - 1];
        const kinds = last.rssAnon === undefined ? '' : ` (anonymous ${mb(last.rssAnon)}, files ${mb(last.rssFile)})`;
        const threads = last.threads.map((t) => `${t.name} ${mb(t.heapUsed)}`).join(', ');
        log(
          `${line}, after collection RSS ${mb(last.rss)}${kinds}, heap ${mb(last.heapUsed)}${threads ? ` (threads: ${threads})` : ''}, external ${mb(last.external)} (array buffers ${mb(last.arrayBuffers)})`,
        );
      } catch (e) {
        log(`${line}; memory sample failed: ${e.message}`);
      }
    }, 60_000);
    await Promise.all(Array.from({ length: connections }, worker));
    clearInterval(sampler);
    clearInterval(progress);
    await sample(true);

    const first = collected[0];
    const last = collected[collected.length - 1];
    const drift = (key) => ({ start: first[key], end: last[key], percent: ((last[key] - first[key]) / first[key]) * 100 });
    const sorted = stats.all.latencies.sort((a, b) => a - b);
    const result = {
      engine,
      minutes,
      connections,
      seed,
      requests: stats.all.requests,
      errors: stats.all.errors,
      errorRate: stats.all.errors / Math.max(1, stats.all.requests),
      p50ms: percentile(sorted, 50),
      p99ms: percentile(sorted, 99),
      // Of the anonymous GraphQL reads the response cache saw (X-Cache HIT or MISS).
      cacheHitRate: stats.cache.hits / Math.max(1, stats.cache.hits + stats.cache.misses),
      rss: drift('rss'),
      heap: drift('heapUsed'),
      threadsHeap: drift('threadsHeapUsed'),
      external: drift('external'),
      arrayBuffers: drift('arrayBuffers'),
      ...(first.rssAnon === undefined ? {} : { rssAnon: drift('rssAnon'), rssFile: drift('rssFile') }),
      peakUnderLoad: peak,
      collected,
      scenarios: Object.fromEntries(
        Object.entries(stats.byScenario).map(([name, s]) => {
          const l = s.latencies.sort((a, b) => a - b);
          return [name, { requests: l.length, errors: s.errors, p50ms: percentile(l, 50), p99ms: percentile(l, 99) }];
        }),
      ),
    };
    console.log(`\nscenario                      requests  errors   p50 ms   p99 ms`);
    for (const [name, s] of Object.entries(result.scenarios)) {
      console.log(
        `${name.padEnd(28)}${String(s.requests).padStart(10)}${String(s.errors).padStart(8)}${s.p50ms.toFixed(1).padStart(9)}${s.p99ms.toFixed(1).padStart(9)}`,
      );
    }
    console.log(
      `${'all'.padEnd(28)}${String(result.requests).padStart(10)}${String(result.errors).padStart(8)}${result.p50ms.toFixed(1).padStart(9)}${result.p99ms.toFixed(1).padStart(9)}`,
    );
    console.log(`\nerror rate ${(result.errorRate * 100).toFixed(3)} %`);
    console.log(
      `response cache hit rate ${(result.cacheHitRate * 100).toFixed(1)} % (${stats.cache.hits} hits, ${stats.cache.misses} misses; editor writes are ${((mix.find(([, n]) => n.startsWith('editor'))[0] / total) * 100).toFixed(0)} % of requests)`,
    );
    console.log(
      `memory after a full collection, end of warm-up -> end: RSS ${mb(result.rss.start)} -> ${mb(result.rss.end)} (${result.rss.percent.toFixed(1)} %), heap ${mb(result.heap.start)} -> ${mb(result.heap.end)} (${result.heap.percent.toFixed(1)} %)`,
    );
    console.log(
      `worker threads' heaps (${last.threads.map((t) => t.name).join(', ') || 'none'}) ${mb(result.threadsHeap.start)} -> ${mb(result.threadsHeap.end)}`,
    );
    console.log(
      `external ${mb(result.external.start)} -> ${mb(result.external.end)} (${result.external.percent.toFixed(1)} %), of which array buffers ${mb(result.arrayBuffers.start)} -> ${mb(result.arrayBuffers.end)}${result.rssAnon ? `; RSS anonymous ${mb(result.rssAnon.start)} -> ${mb(result.rssAnon.end)} (${result.rssAnon.percent.toFixed(1)} %), files ${mb(result.rssFile.start)} -> ${mb(result.rssFile.end)}` : ''}`,
    );
    console.log(`peak under load (sampled every 10 s): RSS ${mb(peak.rss)}, heap ${mb(peak.heapUsed)}`);
    if (stats.firstErrors.length) {
      console.log(`first errors:\n  ${stats.firstErrors.join('\n  ')}`);
      // What the node logged for them: its error lines carry the request id it answered with.
      const ids = stats.firstErrors.map((e) => /"requestId":"([^"]+)"/.exec(e)?.[1]).filter(Boolean);
      const lines = node.output().split('\n');
      const starts = lines.flatMap((line, i) => (ids.some((id) => line.includes(id)) ? [i] : []));
      const logged = [...new Set(starts.flatMap((i) => Array.from({ length: 8 }, (_, k) => i + k)))]
        .filter((i) => i < lines.length)
        .map((i) => lines[i]);
      if (logged.length) console.log(`the node logged:\n  ${logged.slice(0, 40).join('\n  ')}`);
    }
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(result, null, 2));
    log(`written ${path.relative(process.cwd(), out)}`);
  } finally {
    inspector.close();
    await node.stop();
    await database.drop();
  }
}

runScript('soak', main);
