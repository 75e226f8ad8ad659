#!/usr/bin/env node
// What the test commands need besides npm packages, checked before a run starts so that a
// missing one is named at once instead of failing deep inside a suite.
//   node scripts/test-prerequisites.js            npm test (SQLite)
//   node scripts/test-prerequisites.js postgres   npm run test:postgres
const fs = require('fs');
const net = require('net');
const path = require('path');
const { Client } = require('pg');
const { postgresAdminUrl } = require('./lib/databases');

const onPath = (command) => (process.env.PATH || '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, command)));

const postgresReachable = async () => {
  const client = new Client({ connectionString: postgresAdminUrl(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
};

const redisAnswers = (host, port) =>
  new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 3000 }, () => socket.write('PING\r\n'));
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('data', (data) => done(String(data).startsWith('+PONG')));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });

const postgresBinaries = () => {
  const root = '/usr/lib/postgresql';
  return (
    fs.existsSync(root) &&
    fs.readdirSync(root).some((version) => ['initdb', 'pg_ctl'].every((bin) => fs.existsSync(path.join(root, version, 'bin', bin))))
  );
};

/** [what, needed by, how to get it, check] */
const prerequisites = (engine) => [
  [
    `PostgreSQL at ${postgresAdminUrl()} (TEST_POSTGRES_URL)`,
    'the archive across engines; every suite on PostgreSQL',
    'Debian package postgresql, trust auth on 127.0.0.1',
    postgresReachable,
  ],
  [
    'Redis at 127.0.0.1:6379',
    'nodes sharing rate limits and the response cache',
    'Debian package redis-server',
    () => redisAnswers('127.0.0.1', 6379),
  ],
  ...(engine === 'sqlite'
    ? [
        [
          `chromium at ${process.env.CHROMIUM_PATH || '/usr/bin/chromium'} (CHROMIUM_PATH)`,
          'the browser suites',
          'Debian package chromium',
          () => fs.existsSync(process.env.CHROMIUM_PATH || '/usr/bin/chromium'),
        ],
      ]
    : [
        ['nginx', 'the load-balancer example (tests/cluster.test.ts)', 'Debian package nginx-light', () => onPath('nginx')],
        [
          'initdb and pg_ctl in /usr/lib/postgresql/<version>/bin',
          'a PostgreSQL server the outage test stops and starts',
          'Debian package postgresql',
          postgresBinaries,
        ],
        ...(process.getuid?.() === 0
          ? [
              [
                'runuser',
                "the outage test's server, run as the postgres user when tests run as root",
                'Debian package util-linux',
                () => onPath('runuser'),
              ],
            ]
          : []),
      ]),
];

async function missingPrerequisites(engine) {
  const missing = [];
  for (const [what, neededBy, how, check] of prerequisites(engine))
    if (!(await check())) missing.push(`  - ${what}: for ${neededBy} (${how})`);
  return missing;
}

module.exports = { missingPrerequisites };

if (require.main === module) {
  const engine = process.argv[2] === 'postgres' ? 'postgres' : 'sqlite';
  missingPrerequisites(engine).then((missing) => {
    if (missing.length === 0) return;
    console.error(
      `Cannot run the tests on ${engine === 'postgres' ? 'PostgreSQL' : 'SQLite'}, missing:\n${missing.join('\n')}\n.ci/run installs or starts them on Debian; see the README's Tests section.`,
    );
    process.exit(1);
  });
}
