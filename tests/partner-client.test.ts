/**
 * The typed partner client (examples/partner-client), as a partner would build and run it: types
 * generated from schema.graphql and type-checked (`npm run example:typecheck`), then the compiled
 * program run against a freshly seeded knowledge base.
 */
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import { closeServer, listen } from './helpers/front-end';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..');
const client = path.join(root, 'examples/partner-client');
let kb: KnowledgeBase;
let base: string;
let outDir: string;

beforeAll(async () => {
  kb = await startKnowledgeBase();
  base = await listen(kb);
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partner-client-'));
}, 180000);

afterAll(async () => {
  fs.rmSync(outDir, { recursive: true, force: true });
  if (!kb) return;
  await closeServer(kb.strapi.server.httpServer);
  await kb.stop();
});

const latestPractices = (env: Record<string, string>) =>
  run(process.execPath, [path.join(outDir, 'latest-practices.js')], { env: { ...process.env, KB_URL: base, ...env } });

test('its types are generated from schema.graphql and its code type-checks (npm run example:typecheck)', async () => {
  await run('npm', ['run', '--silent', 'example:typecheck'], { cwd: root });
  const generated = fs.readFileSync(path.join(client, 'src/gql/graphql.ts'), 'utf8');
  expect(generated).toContain('export type LatestPracticesQuery = ');
  expect(generated).toContain('export type LatestPracticesQueryVariables = ');
}, 120000);

test('it prints the latest published good practices, in English and in Italian', async () => {
  await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', client, '--outDir', outDir]);
  for (const [locale, limit] of [
    ['en', 5],
    ['it', 2],
  ] as const) {
    const { goodPractices } = await kb.data(
      `query($locale: I18NLocaleCode, $limit: Int) { goodPractices(locale: $locale, sort: "publishedAt:desc", pagination: { pageSize: $limit }) { slug title implementationStatus } }`,
      { locale, limit },
    );
    expect(goodPractices).toHaveLength(locale === 'en' ? 4 : 2);
    const { stdout } = await latestPractices({ KB_LOCALE: locale, KB_LIMIT: String(limit) });
    const entries = stdout.split('\n').filter((line) => line && !line.startsWith(' '));
    expect(entries).toEqual(goodPractices.map((p: any) => `${p.title} [${p.implementationStatus}]`));
    expect(stdout).toContain(`  where: Basilicata (ITF5)`);
    expect(stdout).toContain(`  ${base}/?lang=${locale}#/good-practices/${goodPractices[0].slug}`);
  }
}, 120000);

test("a request the API refuses ends it with the API's message and exit code 1", async () => {
  await expect(latestPractices({ KB_LOCALE: 'fr' })).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringMatching(/^latest-practices: Unknown locale "fr"/),
  });
});
