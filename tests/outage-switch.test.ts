/**
 * The database-outage switch (src/edge/health) answers 503 to everyone once a request met a
 * database that cannot be reached. Only the database's own failure may open it: no request a
 * client can send (an anonymous 401, an error message quoting the client's words) may.
 */
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await startKnowledgeBase();
});
afterAll(async () => {
  await kb.stop();
});

/** The service still answers everyone: the switch stayed closed. */
async function expectServing() {
  expect((await kb.http().get('/api/themes')).status).toBe(200);
  expect((await kb.graphql('{ themes { slug } }')).status).toBe(200);
  expect((await kb.http().get('/_ready')).status).toBe(200);
}

describe("the outage switch opens only on the database's own failure", () => {
  test('an anonymous 401 from the admin API stays a 401', async () => {
    const me = await kb.http().get('/admin/users/me');
    expect(me.status).toBe(401);
    await expectServing();
  });

  test('a forged refresh cookie is a 401, not an outage', async () => {
    const res = await kb.http().post('/admin/access-token').set('cookie', 'strapi_admin_refresh=forged.token.value').send({});
    expect(res.status).toBe(401);
    await expectServing();
  });

  test('an anonymous 401 of the content API stays a 401', async () => {
    // Public reads are allowed, writes are not: Strapi answers an anonymous write with a 401 or 403.
    const res = await kb
      .http()
      .post('/api/themes')
      .send({ data: { name: 'x' } });
    expect([401, 403]).toContain(res.status);
    await expectServing();
  });

  test("an error whose message quotes the client's words, like a connection error, is the client's error", async () => {
    const gql = await kb.graphql('{ themes(status: "Connection terminated unexpectedly") { slug } }');
    expect(gql.status).toBe(400);
    expect(gql.body.errors[0].extensions.code).not.toBe('SERVICE_UNAVAILABLE');
    const rest = await kb.http().get('/api/themes').query({ 'filters[Connection terminated unexpectedly][$eq]': 'x' });
    expect(rest.status).toBe(400);
    await expectServing();
  });
});
