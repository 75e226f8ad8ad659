/**
 * Editors never get a 500 from reading. On PostgreSQL every Document Service read runs in one
 * REPEATABLE READ transaction (src/public-api/read-snapshot), and opening a record in the admin
 * also writes (it remembers what the editor opened, src/editorial/edit-conflicts): one editor
 * opening records at once (two tabs, both languages) made those writes collide, "could not
 * serialize access due to concurrent update", and the admin got a 500.
 */
import { GP, adminUser, contentManager } from './helpers/editors';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await startKnowledgeBase();
  // Listening once: supertest would otherwise start the server anew for each of the concurrent requests.
  const server = kb.strapi.server.httpServer.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => kb.strapi.server.httpServer.close(resolve));
  await kb.stop();
});

test('one editor opening records concurrently gets every one of them, never a 5xx', async () => {
  const raw = await contentManager(kb, await adminUser(kb, 'strapi-editor', 'Giulia'));
  const practices = await kb.strapi.db.query(GP).findMany({ where: { publishedAt: null, locale: 'it' }, select: ['documentId'] });
  // Two records in two languages: four requests at once, well within the connection pool (10),
  // so that what is tested is the collision of their writes, not a wait for a connection.
  const documentIds = practices.slice(0, 2).map((p: { documentId: string }) => p.documentId);
  expect(documentIds).toHaveLength(2);

  const statuses: number[] = [];
  for (let round = 0; round < 15; round += 1) {
    // As the admin does when a person opens records in several tabs and languages: at once.
    const opened = await Promise.all(documentIds.flatMap((documentId) => ['it', 'en'].map((locale) => raw.open(GP, documentId, locale))));
    statuses.push(...opened.map((res) => res.status));
  }
  expect(statuses.filter((status) => status >= 500)).toEqual([]);
  expect(statuses.every((status) => status === 200 || status === 404)).toBe(true);
  expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(0);
});
