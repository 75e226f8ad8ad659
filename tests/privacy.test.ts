/**
 * Drafts, private fields and people without consent never reach an anonymous caller, by GraphQL
 * or REST, and anonymous callers cannot write.
 */
import { adminSession, startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await startKnowledgeBase();
});
afterAll(async () => {
  await kb.stop();
});

const GP = 'api::good-practice.good-practice';
const count = (uid: string) => kb.strapi.db.query(uid as any).count();
const anonymousSlugs = async (plural: string, slug: string) => {
  const rest = await kb.http().get(`/api/${plural}`).query({ 'filters[slug][$eq]': slug, locale: '*' });
  expect(rest.status).toBe(200);
  return rest.body.data.map((d: any) => d.slug);
};

describe('anonymous writes', () => {
  test.each([
    ['create', `mutation { createTheme(data: { name: "Intruso", slug: "intruso" }) { documentId } }`],
    ['update', `mutation($id: ID!) { updateTheme(documentId: $id, data: { name: "Cambiato" }) { documentId } }`],
    ['delete', `mutation($id: ID!) { deleteTheme(documentId: $id) { documentId } }`],
  ])('GraphQL %s mutation is refused with 403 and writes nothing', async (_name, mutation) => {
    const theme = await kb.strapi
      .documents('api::theme.theme')
      .findFirst({ status: 'published', filters: { slug: 'abitare-i-territori' } });
    const before = await count('api::theme.theme');
    const res = await kb.graphql(mutation, { id: theme!.documentId });
    expect(res.status).toBe(403);
    expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await count('api::theme.theme')).toBe(before);
    const after = await kb.strapi.documents('api::theme.theme').findOne({ documentId: theme!.documentId, status: 'published' });
    expect(after!.name).toBe('Abitare i territori');
  });

  test('REST writes are refused with 403 and write nothing', async () => {
    const before = await count(GP);
    const created = await kb
      .http()
      .post('/api/good-practices')
      .send({ data: { title: 'x', slug: 'x', summary: 'x' } });
    expect(created.status).toBe(403);
    const gp = await kb.strapi.documents(GP).findFirst({ status: 'published' });
    expect(
      (
        await kb
          .http()
          .put(`/api/good-practices/${gp!.documentId}`)
          .send({ data: { title: 'y' } })
      ).status,
    ).toBe(403);
    expect((await kb.http().delete(`/api/good-practices/${gp!.documentId}`)).status).toBe(403);
    expect(await count(GP)).toBe(before);
  });

  test('end-user self-registration is closed', async () => {
    const res = await kb.http().post('/api/auth/local/register').send({ username: 'x', email: 'x@example.org', password: 'Passw0rd-x!' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await count('plugin::users-permissions.user')).toBe(0);
  });
});

describe('drafts', () => {
  const draftQuery = `query($slug: String, $status: PublicationStatus) { goodPractices(filters: { slug: { eq: $slug } }, status: $status, locale: "it") { slug } }`;

  async function expectInvisible(slug: string, documentId: string) {
    // GraphQL, without asking for drafts: not there.
    const plain = await kb.graphql(draftQuery, { slug });
    expect(plain.status).toBe(200);
    expect(plain.body.data.goodPractices).toEqual([]);
    const one = await kb.graphql(`query($id: ID!) { goodPractice(documentId: $id) { slug } }`, { id: documentId });
    expect(one.body.data?.goodPractice ?? null).toBeNull();
    // GraphQL, asking for drafts: refused.
    const asked = await kb.graphql(draftQuery, { slug, status: 'DRAFT' });
    expect(asked.status).toBe(403);
    expect(asked.body.errors[0].message).toMatch(/Drafts are not public/);
    expect(JSON.stringify(asked.body)).not.toContain(slug);
    // REST, with and without asking for drafts.
    expect(await anonymousSlugs('good-practices', slug)).toEqual([]);
    expect((await kb.http().get(`/api/good-practices/${documentId}`)).status).toBe(404);
    const restDraft = await kb.http().get('/api/good-practices').query({ status: 'draft' });
    expect(restDraft.status).toBe(403);
    expect(JSON.stringify(restDraft.body)).not.toContain(slug);
  }

  test('a draft created in the admin panel is invisible to anonymous GraphQL and REST', async () => {
    const jwt = await adminSession(kb);
    const res = await kb
      .http()
      .post(`/content-manager/collection-types/${GP}`)
      .query({ locale: 'it' })
      .set('authorization', `Bearer ${jwt}`)
      .send({
        title: 'Bozza dal pannello',
        slug: 'bozza-dal-pannello',
        summary: 'Non ancora pubblicata.',
        implementationStatus: 'planned',
        source: { title: 'Test' },
      });
    expect(res.status).toBe(201);
    await expectInvisible('bozza-dal-pannello', res.body.data.documentId);
  });

  test('a draft created with an API token is invisible to anonymous callers but readable with the token', async () => {
    const token = await kb.apiToken();
    const res = await kb
      .http()
      .post('/api/good-practices')
      .query({ status: 'draft' })
      .set('authorization', `Bearer ${token}`)
      .send({ data: { title: 'Bozza via token', slug: 'bozza-via-token', summary: 'Bozza.', implementationStatus: 'planned' } });
    expect(res.status).toBe(201);
    await expectInvisible('bozza-via-token', res.body.data.documentId);
    const withToken = await kb.graphql(draftQuery, { slug: 'bozza-via-token', status: 'DRAFT' }, { authorization: `Bearer ${token}` });
    expect(withToken.body.data.goodPractices).toEqual([{ slug: 'bozza-via-token' }]);
  });

  test('unsaved edits to a published record stay private until published again', async () => {
    const gp = await kb.strapi
      .documents(GP)
      .findFirst({ status: 'published', locale: 'it', filters: { slug: 'forum-regionale-sui-fenomeni-migratori' } });
    await kb.strapi.documents(GP).update({ documentId: gp!.documentId, locale: 'it', data: { title: 'Titolo in lavorazione' } as any });
    const res = await kb.graphql(`query($id: ID!) { goodPractice(documentId: $id) { title } }`, { id: gp!.documentId });
    expect(res.body.data.goodPractice.title).toBe('Forum regionale sui fenomeni migratori');
  });
});

describe('private fields', () => {
  test('are not in the public GraphQL schema', async () => {
    const res = await kb.graphql(
      `{ person: __type(name: "Person") { fields { name } } gp: __type(name: "GoodPractice") { fields { name } } org: __type(name: "Organization") { fields { name } } }`,
    );
    const names = (t: string) => res.body.data[t].fields.map((f: any) => f.name);
    expect(names('person')).toContain('fullName');
    expect(names('person')).not.toContain('consentToPublish');
    expect(names('person')).not.toContain('email');
    expect(names('gp')).not.toContain('curationStatus');
    expect(names('gp')).not.toContain('reviewerNote');
    expect(names('org')).not.toContain('email');
    const asked = await kb.graphql(`{ people { fullName consentToPublish } }`);
    expect(asked.status).toBe(400);
  });

  test('are not in REST answers', async () => {
    await kb.strapi.documents(GP).update({
      documentId: (await kb.strapi.documents(GP).findFirst({ status: 'published' }))!.documentId,
      data: { reviewerNote: 'NOTA-RISERVATA' } as any,
      status: 'published',
    });
    const res = await kb.http().get('/api/good-practices').query({ populate: '*' });
    const people = await kb.http().get('/api/people').query({ populate: '*' });
    const body = JSON.stringify(res.body) + JSON.stringify(people.body);
    expect(body).not.toContain('NOTA-RISERVATA');
    for (const field of ['reviewerNote', 'curationStatus', 'consentToPublish', '"email"']) expect(body).not.toContain(field);
  });
});

describe('people without consent', () => {
  const PERSON = 'api::person.person';
  const source = { title: 'Test' };

  test('cannot be published and never appear, directly or through relations', async () => {
    const person = await kb.strapi.documents(PERSON).create({
      locale: 'it',
      data: { fullName: 'Persona Riservata', slug: 'persona-riservata', consentToPublish: false, source } as any,
    });
    await expect(kb.strapi.documents(PERSON).publish({ documentId: person.documentId, locale: '*' })).rejects.toThrow(/consent/i);
    await expect(
      kb.strapi.documents(PERSON).create({ locale: 'it', status: 'published', data: { fullName: 'Altra', slug: 'altra', source } as any }),
    ).rejects.toThrow(/consent/i);

    // A published event names them as a speaker: the agenda still shows no such person.
    const event = await kb.strapi
      .documents('api::event.event')
      .findFirst({ locale: 'it', status: 'draft', populate: { agenda: { populate: '*' } } });
    const agenda = (event as any).agenda.map(({ id, speakers, thematicTable, ...item }: any) => ({
      ...item,
      speakers: speakers.map((s: any) => s.documentId),
      thematicTable: thematicTable?.documentId ?? null,
    }));
    agenda[1].speakers.push(person.documentId);
    await kb.strapi
      .documents('api::event.event')
      .update({ documentId: event!.documentId, locale: 'it', status: 'published', data: { agenda } as any });

    const gql = await kb.graphql(`{ people(pagination: { limit: 100 }) { fullName } events { agenda { speakers { fullName } } } }`);
    expect(JSON.stringify(gql.body)).not.toContain('Persona Riservata');
    expect(gql.body.data.events[0].agenda[1].speakers.map((s: any) => s.fullName)).toEqual(['Michele Busciolano', 'Elvira Locantore']);
    expect(await anonymousSlugs('people', 'persona-riservata')).toEqual([]);
    const rest = await kb.http().get('/api/events').query({ 'populate[agenda][populate]': 'speakers' });
    expect(JSON.stringify(rest.body)).not.toContain('Persona Riservata');
  });

  test('withdrawing consent unpublishes the person at once', async () => {
    const person = await kb.strapi.documents(PERSON).create({
      locale: 'it',
      status: 'published',
      data: { fullName: 'Persona Consenziente', slug: 'persona-consenziente', consentToPublish: true, source } as any,
    });
    expect(await anonymousSlugs('people', 'persona-consenziente')).toEqual(['persona-consenziente']);
    await kb.strapi.documents(PERSON).update({ documentId: person.documentId, locale: 'it', data: { consentToPublish: false } as any });
    expect(await anonymousSlugs('people', 'persona-consenziente')).toEqual([]);
    const gql = await kb.graphql(`{ people(filters: { slug: { eq: "persona-consenziente" } }) { fullName } }`);
    expect(gql.body.data.people).toEqual([]);
  });
});

test('a training written by an editor integration is readable with its relations in both locales', async () => {
  const token = await kb.apiToken();
  const auth = { authorization: `Bearer ${token}` };
  const ids = async (uid: string, slugs: string[]) =>
    (await kb.strapi.documents(uid as any).findMany({ filters: { slug: { $in: slugs } }, locale: 'it' })).map((d: any) => d.documentId);
  const [territory] = await ids('api::territory.territory', ['potenza']);
  const themes = await ids('api::theme.theme', ['governance-dei-servizi']);
  const [project] = await ids('api::project.project', ['com-in-4-0']);
  const data = {
    slug: 'incontro-di-prova',
    startDate: '2022-05-10',
    mode: 'in_person',
    territory,
    themes,
    project,
    venue: { name: 'Sala di prova', city: 'Potenza' },
    source: { title: 'Test' },
  };
  const it = await kb
    .http()
    .post('/api/trainings')
    .query({ locale: 'it' })
    .set(auth)
    .send({ data: { ...data, title: 'Incontro di prova' } });
  expect(it.status).toBe(201);
  const en = await kb
    .http()
    .put(`/api/trainings/${it.body.data.documentId}`)
    .query({ locale: 'en' })
    .set(auth)
    .send({ data: { ...data, title: 'Test meeting' } });
  expect(en.status).toBe(200);

  for (const [locale, title] of [
    ['it', 'Incontro di prova'],
    ['en', 'Test meeting'],
  ]) {
    const res = await kb.graphql(
      `query($locale: I18NLocaleCode) { trainings(locale: $locale) { title mode startDate venue { name } territory { nutsCode } themes { slug } project { slug } } }`,
      { locale },
    );
    expect(res.body.data.trainings).toEqual([
      {
        title,
        mode: 'in_person',
        startDate: '2022-05-10',
        venue: { name: 'Sala di prova' },
        territory: { nutsCode: 'ITF51' },
        themes: [{ slug: 'governance-dei-servizi' }],
        project: { slug: 'com-in-4-0' },
      },
    ]);
  }
  const project2 = await kb.graphql(`{ projects { trainings { slug } } }`);
  expect(project2.body.data.projects[0].trainings).toEqual([{ slug: 'incontro-di-prova' }]);
});
