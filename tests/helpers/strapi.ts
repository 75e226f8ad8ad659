import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { createStrapi, type Core } from '@strapi/strapi';
import { createTestDatabase, type TestDatabase } from './database';

const { TEST_ENV } = require('./templates');

const appDir = path.resolve(__dirname, '../..');

/** This checkout's path, as a pattern: a response that names it leaks the server's internals. */
export const APP_DIR_PATTERN = appDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A public folder of the instance's own: the app's public files (linked) and an empty uploads
 * folder, so that suites running side by side never see each other's media. A database kept
 * across restarts keeps its folder with it, as a server keeps its disk.
 */
const publicFolders = new Map<TestDatabase, string>();
process.once('exit', () => {
  for (const dir of publicFolders.values()) fs.rmSync(dir, { recursive: true, force: true });
});
function publicFolder(database: TestDatabase): string {
  let dir = publicFolders.get(database);
  if (!dir) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-public-'));
    const appPublic = path.join(appDir, 'public');
    for (const name of fs.readdirSync(appPublic)) if (name !== 'uploads') fs.symlinkSync(path.join(appPublic, name), path.join(dir, name));
    fs.mkdirSync(path.join(dir, 'uploads'));
    publicFolders.set(database, dir);
  }
  return dir;
}

export interface KnowledgeBase {
  strapi: Core.Strapi;
  http: () => ReturnType<typeof request>;
  /** POSTs a GraphQL operation anonymously (or with the given headers) and returns the response. */
  graphql: (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => Promise<request.Response>;
  /** An anonymous GraphQL read that must succeed (200, no errors): its data. */
  data: (query: string, variables?: Record<string, unknown>) => Promise<any>;
  /** A full-access API token, as an editor's integration would hold. */
  apiToken: () => Promise<string>;
  stop: () => Promise<void>;
}

/** Boots a real Strapi (compiled once by global-setup) on its own throw-away database. */
export async function startKnowledgeBase({
  seed = true,
  env = {},
  database: given,
  firstStart = false,
}: {
  seed?: boolean;
  /** Boot on a new, empty database, as a server's first start (not on a copy of a template). */
  firstStart?: boolean;
  env?: Record<string, string>;
  /** An existing test database, kept when the instance stops (to restart on the same data). */
  database?: TestDatabase;
} = {}): Promise<KnowledgeBase> {
  const database = given ?? (await createTestDatabase(firstStart ? undefined : seed ? 'seeded' : 'empty'));
  Object.assign(process.env, database.env, TEST_ENV, { SEED_ON_EMPTY: String(seed) }, env);
  const strapi = createStrapi({ appDir, distDir: path.join(appDir, 'dist') });
  // Read by Strapi's static files, the upload provider and the archive when they start (load).
  strapi.config.set('dirs.static.public', publicFolder(database));
  strapi.log.level = process.env.TEST_LOG_LEVEL || 'error';
  await strapi.load();
  strapi.server.mount();

  const http = () => request(strapi.server.httpServer);
  let token: string | undefined;
  return {
    strapi,
    http,
    graphql: (query, variables, headers = {}) => http().post('/graphql').set(headers).send({ query, variables }),
    async data(query, variables) {
      const res = await http().post('/graphql').send({ query, variables });
      expect(res.body.errors).toBeUndefined();
      expect(res.status).toBe(200);
      return res.body.data;
    },
    async apiToken() {
      if (!token) {
        const created = await strapi
          .service('admin::api-token')
          .create({ name: `test-${Date.now()}`, type: 'full-access', lifespan: null, description: 'tests' });
        token = created.accessKey as string;
      }
      return token;
    },
    async stop() {
      // Let queries that Strapi starts in the background (after boot) finish before the pool closes.
      const pool = (strapi.db.connection.client as any).pool;
      for (let i = 0; i < 50 && pool && pool.numPendingAcquires() + pool.numUsed() > 0; i += 1) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await strapi.destroy();
      if (!given) {
        await database.drop();
        fs.rmSync(publicFolder(database), { recursive: true, force: true });
        publicFolders.delete(database);
      }
      for (const name of Object.keys(env)) delete process.env[name];
    },
  };
}

/** A super admin who logs into the admin panel over HTTP; returns the admin JWT. */
export async function adminSession(kb: KnowledgeBase): Promise<string> {
  const email = 'editor@example.org';
  const password = 'Editor-Passw0rd!';
  const superAdmin = await kb.strapi.service('admin::role').getSuperAdmin();
  if (!(await kb.strapi.db.query('admin::user').findOne({ where: { email } }))) {
    await kb.strapi
      .service('admin::user')
      .create({ email, firstname: 'Test', lastname: 'Editor', password, isActive: true, roles: [superAdmin.id] });
  }
  const res = await kb.http().post('/admin/login').send({ email, password });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.token as string;
}
