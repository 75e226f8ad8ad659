// `npm run bench:changes -- [--engines=sqlite,postgres] [--practices=N]`: the change feed's response
// time. Synthetic good practices (npm run seed:synthetic, written in bulk: the node's start adds
// them to the feed, timed), then pages of 100 changes from cursors spread over the feed, by GraphQL
// (each cursor asked once, so never from the response cache) and by REST: p50 and p95, one
// request at a time.
const { createDatabase } = require('../scripts/lib/databases');
const { startNode } = require('../scripts/lib/nodes');
const { npmRun } = require('./search');

const args = {};
for (let i = 2; i < process.argv.length; i += 1) {
  const [name, value] = process.argv[i].replace(/^--/, '').split('=');
  args[name] = value ?? process.argv[++i];
}
const engines = (args.engines || 'sqlite,postgres').split(',');
const practices = Number(args.practices || 2000);
const ROUNDS = 60;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const cursor = (id) => Buffer.from(`feed:${id}`).toString('base64url');

async function timed(request) {
  const started = process.hrtime.bigint();
  const res = await request();
  const body = await res.json();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 200 || body.errors) throw new Error(`feed read failed: ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
  return { ms, page: body.data?.changes ?? body };
}

const stats = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50ms: +percentile(sorted, 50).toFixed(1), p95ms: +percentile(sorted, 95).toFixed(1) };
};

async function benchEngine(engine) {
  const database = await createDatabase(engine);
  try {
    await npmRun('seed:synthetic', ['--practices', String(practices)], database.env, () => undefined);
    const started = Date.now();
    const node = await startNode({ ...database.env, LOG_LEVEL: 'warn' });
    const startSeconds = (Date.now() - started) / 1000;
    try {
      const gql = (since) =>
        fetch(`${node.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: `query($since: String) { changes(since: $since, first: 100) { items { cursor type documentId slug locale action at } nextCursor hasMore } }`,
            variables: { since },
          }),
        });
      const head = (await timed(() => fetch(`${node.url}/api/changes?first=1000&since=${cursor(0)}`))).page;
      let last = head.nextCursor;
      let total = head.items.length;
      for (let page = head; page.hasMore;) {
        page = (await timed(() => fetch(`${node.url}/api/changes?first=1000&since=${last}`))).page;
        last = page.nextCursor;
        total += page.items.length;
      }
      const newest = Number(Buffer.from(last, 'base64url').toString().split(':')[1]);
      const graphqlTimes = [];
      const restTimes = [];
      for (let i = 0; i < ROUNDS; i += 1) {
        const since = cursor(Math.floor((i / ROUNDS) * newest));
        graphqlTimes.push((await timed(() => gql(since))).ms);
        restTimes.push((await timed(() => fetch(`${node.url}/api/changes?first=100&since=${since}`))).ms);
      }
      return {
        practices,
        feedItems: total,
        nodeStartSeconds: +startSeconds.toFixed(1),
        graphql: stats(graphqlTimes),
        rest: stats(restTimes),
      };
    } finally {
      await node.stop();
    }
  } finally {
    await database.drop();
  }
}

(async () => {
  for (const engine of engines) {
    const row = await benchEngine(engine);
    console.log(
      `changes  ${engine.padEnd(9)} ${row.practices} practices, ${row.feedItems} feed items, node start ${row.nodeStartSeconds} s; ` +
        `page of 100: GraphQL p50 ${row.graphql.p50ms} ms p95 ${row.graphql.p95ms} ms, REST p50 ${row.rest.p50ms} ms p95 ${row.rest.p95ms} ms`,
    );
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
