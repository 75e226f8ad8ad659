/**
 * The first administrator without the browser: ADMIN_EMAIL and ADMIN_PASSWORD on the first
 * start create the super admin; otherwise the admin panel asks for one as usual.
 */
import { createTestDatabase } from './helpers/database';
import { startNode } from './helpers/nodes';
import { startKnowledgeBase } from './helpers/strapi';

const env = { ADMIN_EMAIL: 'Coordinamento@Example.org', ADMIN_PASSWORD: 'Prima-Password-1', ADMIN_FIRSTNAME: 'Coordinamento' };
const hasAdmin = async (kb: Awaited<ReturnType<typeof startKnowledgeBase>>) => (await kb.http().get('/admin/init')).body.data.hasAdmin;
const login = (kb: Awaited<ReturnType<typeof startKnowledgeBase>>, password: string) =>
  kb.http().post('/admin/login').send({ email: 'coordinamento@example.org', password });

test('the first start creates that super admin, who can log in; later starts change nothing', async () => {
  const database = await createTestDatabase();
  let kb = await startKnowledgeBase({ seed: false, database, env });
  try {
    expect(await hasAdmin(kb)).toBe(true);
    const res = await login(kb, env.ADMIN_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.data.user).toMatchObject({ email: 'coordinamento@example.org', firstname: 'Coordinamento', isActive: true });
    const [user] = await kb.strapi.db.query('admin::user').findMany({ populate: ['roles'] });
    expect(user.roles.map((r: any) => r.code)).toEqual(['strapi-super-admin']);

    // Another start with other values (a changed password, another e-mail): one administrator, unchanged.
    await kb.stop();
    kb = await startKnowledgeBase({
      seed: false,
      database,
      env: { ...env, ADMIN_EMAIL: 'altro@example.org', ADMIN_PASSWORD: 'Altra-Password-2' },
    });
    expect(await kb.strapi.db.query('admin::user').count()).toBe(1);
    expect((await login(kb, env.ADMIN_PASSWORD)).status).toBe(200);
  } finally {
    await kb.stop();
    await database.drop();
  }
});

test('without the variables, the admin panel asks for the first administrator', async () => {
  const kb = await startKnowledgeBase({ seed: false });
  try {
    expect(await hasAdmin(kb)).toBe(false);
    expect(await kb.strapi.db.query('admin::user').count()).toBe(0);
  } finally {
    await kb.stop();
  }
});

test.each([
  ['a weak password', { ADMIN_EMAIL: 'a@example.org', ADMIN_PASSWORD: 'password' }, 'ADMIN_PASSWORD needs an uppercase letter, a number.'],
  ['only one of the two', { ADMIN_EMAIL: 'a@example.org' }, 'Set both ADMIN_EMAIL and ADMIN_PASSWORD'],
])('%s stops the start with a message, rather than leaving registration open', async (_what, variables, message) => {
  const database = await createTestDatabase();
  try {
    const node = await startNode({ ...database.env, SEED_ON_EMPTY: 'false', ADMIN_PASSWORD: '', ...variables }, { waitReady: false });
    expect(await node.exited).not.toBe(0);
    expect(node.output()).toContain(message);
  } finally {
    await database.drop();
  }
});
