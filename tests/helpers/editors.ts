import type request from 'supertest';
import type { KnowledgeBase } from './strapi';

export const GP = 'api::good-practice.good-practice';
export const PASSWORD = 'Redazione-2024!';

export interface Person {
  email: string;
  password: string;
  firstname: string;
}

/** An active admin user with the role of the given code (strapi-editor, reviewer, strapi-super-admin). */
export async function adminUser(kb: KnowledgeBase, roleCode: string, firstname: string, lastname = 'Test'): Promise<Person> {
  const email = `${firstname.toLowerCase()}.${roleCode}@example.org`;
  if (!(await kb.strapi.db.query('admin::user').findOne({ where: { email } }))) {
    const role = await kb.strapi.service('admin::role').findOne({ code: roleCode });
    await kb.strapi.service('admin::user').create({ email, firstname, lastname, password: PASSWORD, isActive: true, roles: [role.id] });
  }
  return { email, password: PASSWORD, firstname };
}

/** A server error is never an answer an editor may get: the request fails the test that made it. */
const noServerError = (res: request.Response) => {
  if (res.status >= 500) throw new Error(`${res.status} from the server: ${JSON.stringify(res.body).slice(0, 500)}`);
};

/** Logs into the admin API as that person, as the admin panel does; returns a client for the content manager (any 5xx fails). */
export async function contentManager(kb: KnowledgeBase, person: Person) {
  const login = await kb.http().post('/admin/login').send({ email: person.email, password: person.password });
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${JSON.stringify(login.body)}`);
  const auth = { authorization: `Bearer ${login.body.data.token}` };
  const at = (uid: string, documentId?: string, action?: string) =>
    ['/content-manager/collection-types', uid, documentId, action && `actions/${action}`].filter(Boolean).join('/');
  const send = (req: request.Test, locale: string) => req.query({ locale }).set(auth).expect(noServerError);
  return {
    open: (uid: string, documentId: string, locale = 'it') => send(kb.http().get(at(uid, documentId)), locale),
    create: (uid: string, data: Record<string, unknown>, locale = 'it') => send(kb.http().post(at(uid)), locale).send(data),
    save: (uid: string, documentId: string, data: Record<string, unknown>, locale = 'it') =>
      send(kb.http().put(at(uid, documentId)), locale).send(data),
    publish: (uid: string, documentId: string, locale = 'it') => send(kb.http().post(at(uid, documentId, 'publish')), locale).send({}),
    remove: (uid: string, documentId: string, locale = 'it') => send(kb.http().delete(at(uid, documentId)), locale),
    get: (path: string) => kb.http().get(path).set(auth).expect(noServerError),
  };
}

/** A good practice as an editor fills it in the admin: the required fields, in Italian. */
export const practiceForm = (slug: string, extra: Record<string, unknown> = {}) => ({
  title: `Pratica ${slug}`,
  slug,
  summary: 'Una pratica scritta da una redattrice.',
  implementationStatus: 'ongoing',
  license: 'CC-BY-4.0',
  source: { title: 'Intervista alla coordinatrice' },
  ...extra,
});

const adminBuild = require('../../scripts/lib/admin-build');
/** Builds the admin panel into dist/build unless it is up to date with its sources. */
export const ensureAdminBuild: (options?: { log?: (line: string) => void }) => boolean = adminBuild.ensureAdminBuild;
