/** The GraphQL IDE works offline: GraphiQL served by this server, nothing from a CDN. */
import type { AddressInfo } from 'net';
import { launchBrowser, screenshot, watchOutsideRequests } from './helpers/browser';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

describe('in development', () => {
  let kb: KnowledgeBase;
  beforeAll(async () => {
    kb = await startKnowledgeBase();
  });
  afterAll(async () => {
    await kb.stop();
  });

  test('GET /graphql in a browser serves GraphiQL from local files only', async () => {
    const res = await kb.http().get('/graphql').set('accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).toContain('/graphql-ide/graphiql.min.js');
    expect(res.text).not.toMatch(/https?:\/\//);
    for (const [file, type] of [
      ['graphiql.min.js', 'javascript'],
      ['graphiql.min.css', 'css'],
      ['react.production.min.js', 'javascript'],
      ['start.js', 'javascript'],
    ]) {
      const asset = await kb.http().get(`/graphql-ide/${file}`);
      expect([file, asset.status]).toEqual([file, 200]);
      expect(asset.headers['content-type']).toContain(type);
    }
    expect((await kb.http().get('/graphql-ide/..%2Fpackage.json')).status).toBe(404);
    expect((await kb.http().get('/graphql-ide/secret.js')).status).toBe(404);
  });

  test('a person runs the example query in GraphiQL and sees the knowledge, with no outside request', async () => {
    const server = kb.strapi.server.httpServer.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const outside = watchOutsideRequests(page);
      await page.goto(`http://127.0.0.1:${port}/graphql`, { waitUntil: 'networkidle' });
      await page.locator('.graphiql-execute-button').click();
      await page.locator('.graphiql-response').getByText('Public/private governance network').waitFor({ timeout: 15000 });
      await screenshot(page, 'graphiql-example-query');
      expect(outside).toEqual([]);
    } finally {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('switched off (the production default)', () => {
  let kb: KnowledgeBase;
  beforeAll(async () => {
    // Production as deployed: GRAPHQL_IDE unset.
    kb = await startKnowledgeBase({ seed: false, env: { NODE_ENV: 'production', SERVE_ADMIN_PANEL: 'false' } });
  });
  afterAll(async () => {
    await kb.stop();
  });

  test('GET /graphql in a browser shows no landing page and loads nothing from a CDN', async () => {
    const res = await kb.http().get('/graphql').set('accept', 'text/html');
    expect(res.text).not.toMatch(/cdn\.apollographql|graphiql/i);
    const query = await kb.http().post('/graphql').send({ query: '{ themes { name } }' });
    expect(query.status).toBe(200);
  });
});
