/**
 * The editorial workflow over HTTP, as the admin panel and integrations drive it: roles, the
 * curation gate (admin and API alike), required fields in the admin, two editors on one record,
 * the field guide and preview links.
 */
import { GP, adminUser, contentManager, practiceForm } from './helpers/editors';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';
import { createTestDatabase, type TestDatabase } from './helpers/database';

let kb: KnowledgeBase;
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('seeded');
  kb = await startKnowledgeBase({ database });
});
afterAll(async () => {
  await kb.stop();
  await database.drop();
});

// Logged in once per server: Strapi rate-limits admin logins.
const sessions = new WeakMap<
  KnowledgeBase,
  Promise<Record<'editor' | 'otherEditor' | 'reviewer', Awaited<ReturnType<typeof contentManager>>>>
>();
const people = () => {
  if (!sessions.has(kb)) {
    sessions.set(
      kb,
      (async () => ({
        editor: await contentManager(kb, await adminUser(kb, 'strapi-editor', 'Anna')),
        otherEditor: await contentManager(kb, await adminUser(kb, 'strapi-editor', 'Bruno')),
        reviewer: await contentManager(kb, await adminUser(kb, 'reviewer', 'Rita')),
      }))(),
    );
  }
  return sessions.get(kb)!;
};
const stored = (documentId: string, locale = 'it') => kb.strapi.db.query(GP).findOne({ where: { documentId, locale, publishedAt: null } });
const anonymousTitles = async (slug: string) => {
  const res = await kb.graphql(
    `query($slug: String) { it: goodPractices(filters: { slug: { eq: $slug } }, locale: "it") { title } en: goodPractices(filters: { slug: { eq: $slug } }, locale: "en") { title } }`,
    { slug },
  );
  return { it: res.body.data.it.map((p: any) => p.title), en: res.body.data.en.map((p: any) => p.title) };
};

describe('roles in code', () => {
  const rolePermissions = async () =>
    Object.fromEntries(
      (
        await kb.strapi.db
          .query('admin::role')
          .findMany({ where: { code: { $in: ['strapi-editor', 'reviewer'] } }, populate: ['permissions'] })
      ).map((role: any) => [
        role.code,
        role.permissions.map((p: any) => ({
          id: p.id,
          action: p.action,
          subject: p.subject,
          fields: p.properties?.fields ?? null,
          locales: p.properties?.locales ?? null,
        })),
      ]),
    );
  const actionsOn = (permissions: any[], subject: string) =>
    permissions
      .filter((p) => p.subject === subject)
      .map((p) => p.action.split('.').pop())
      .sort();

  test('Editor writes drafts of every type but does not publish or write the review; Reviewer does', async () => {
    const { 'strapi-editor': editor, reviewer } = await rolePermissions();
    for (const type of [
      'good-practice',
      'training',
      'thematic-table',
      'outcome',
      'event',
      'project',
      'organization',
      'person',
      'territory',
      'theme',
    ]) {
      expect(actionsOn(editor, `api::${type}.${type}`)).toEqual(['create', 'delete', 'read', 'update']);
      expect(actionsOn(reviewer, `api::${type}.${type}`)).toEqual(['create', 'delete', 'publish', 'read', 'update']);
    }
    const fields = (permissions: any[], action: string) => permissions.find((p) => p.subject === GP && p.action.endsWith(action)).fields;
    expect(fields(editor, 'read')).toEqual(expect.arrayContaining(['curationStatus', 'reviewerNote', 'source.title']));
    expect(fields(editor, 'update')).not.toContain('curationStatus');
    expect(fields(editor, 'update')).not.toContain('reviewerNote');
    expect(fields(reviewer, 'update')).toEqual(expect.arrayContaining(['curationStatus', 'reviewerNote']));
    expect(editor.find((p: any) => p.subject === GP && p.action.endsWith('update')).locales).toEqual(['it', 'en']);
    expect(editor.map((p: any) => p.action)).toContain('plugin::upload.assets.create');
  });

  test('a restart creates nothing twice and puts back permissions changed by hand', async () => {
    const before = await rolePermissions();
    const editorRole = await kb.strapi.service('admin::role').findOne({ code: 'strapi-editor' });
    await kb.strapi.service('admin::permission').createMany([
      {
        action: 'plugin::content-manager.explorer.publish',
        subject: GP,
        properties: { locales: ['it'] },
        conditions: [],
        role: editorRole.id,
      },
    ]);
    await kb.stop();
    kb = await startKnowledgeBase({ database });
    expect(await kb.strapi.db.query('admin::role').count({ where: { code: { $in: ['strapi-editor', 'reviewer'] } } })).toBe(2);
    const after = await rolePermissions();
    expect(after.reviewer).toEqual(before.reviewer);
    expect(after['strapi-editor']).toEqual(before['strapi-editor']);
  });
});

describe('the curation gate', () => {
  test('an editor creates and edits a practice but cannot publish it, validate it or delete it once published', async () => {
    const { editor } = await people();
    const created = await editor.create(
      GP,
      practiceForm('sportello-di-quartiere', { curationStatus: 'validated', reviewerNote: 'Tutto bene' }),
    );
    expect(created.status).toBe(201);
    const { documentId } = created.body.data;
    // The admin does not let an editor write the review (the fields are read-only for them).
    expect(await stored(documentId)).toMatchObject({ curationStatus: 'submitted', reviewerNote: null });
    expect((await editor.save(GP, documentId, { ...practiceForm('sportello-di-quartiere'), curationStatus: 'validated' })).status).toBe(
      200,
    );
    expect((await stored(documentId)).curationStatus).toBe('submitted');

    const published = await editor.publish(GP, documentId);
    expect(published.status).toBe(403);

    // A draft nobody published: the editor may delete it.
    const draft = await editor.create(GP, practiceForm('bozza-da-buttare'));
    expect((await editor.remove(GP, draft.body.data.documentId)).status).toBe(200);
    // A published practice: only a reviewer may.
    const seeded = await kb.strapi.documents(GP).findFirst({ status: 'published', locale: 'it' });
    const refused = await editor.remove(GP, seeded!.documentId);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(
      /^Questo contenuto è pubblicato: solo un revisore può eliminarlo.*only a reviewer can delete it/,
    );
    expect(await kb.strapi.documents(GP).findOne({ documentId: seeded!.documentId, status: 'published', locale: 'it' })).not.toBeNull();
  });

  test('a reviewer moves a practice one step at a time, and publishing before "validated" is refused', async () => {
    const { editor, reviewer } = await people();
    const { documentId } = (await editor.create(GP, practiceForm('mediazione-in-comune'))).body.data;
    const form = practiceForm('mediazione-in-comune');

    const early = await reviewer.publish(GP, documentId);
    expect(early.status).toBe(400);
    expect(early.body.error.message).toMatch(/non si può ancora pubblicare.*«inviata».*cannot be published yet.*"submitted"/);
    expect(early.body.error.details.errors[0].path).toEqual(['curationStatus']);
    expect(await kb.strapi.db.query(GP).count({ where: { documentId, publishedAt: { $notNull: true } } })).toBe(0);

    const skip = await reviewer.save(GP, documentId, { ...form, curationStatus: 'validated' });
    expect(skip.status).toBe(400);
    expect(skip.body.error.message).toMatch(/un passo alla volta.*«inviata».*«in revisione».*one step at a time/);

    expect(
      (await reviewer.save(GP, documentId, { ...form, curationStatus: 'in_review', reviewerNote: 'Manca la fonte dei numeri.' })).status,
    ).toBe(200);
    expect((await reviewer.publish(GP, documentId)).status).toBe(400);
    expect((await reviewer.save(GP, documentId, { ...form, curationStatus: 'validated', reviewerNote: 'Fonte verificata.' })).status).toBe(
      200,
    );
    expect((await reviewer.publish(GP, documentId)).status).toBe(200);
    expect(await anonymousTitles('mediazione-in-comune')).toEqual({ it: ['Pratica mediazione-in-comune'], en: [] });

    // Reviewer notes stay private: not in the public API, by any route.
    const rest = await kb.http().get('/api/good-practices').query({ 'filters[slug][$eq]': 'mediazione-in-comune', populate: '*' });
    expect(rest.body.data).toHaveLength(1);
    expect(JSON.stringify(rest.body)).not.toMatch(/Fonte verificata|reviewerNote|curationStatus/);
    expect((await kb.graphql(`{ goodPractices { reviewerNote } }`)).status).toBe(400);
  });

  test('whatever a role made by hand in the admin allows, only reviewers move the curation', async () => {
    const roles = kb.strapi.service('admin::role');
    const role = await roles.create({ name: 'Redazione fatta a mano', description: 'Writes every field' });
    const fields = kb.strapi
      .service('admin::content-type')
      .getNestedFields(kb.strapi.contentTypes[GP], { components: kb.strapi.components });
    await roles.assignPermissions(
      role.id,
      ['create', 'read', 'update'].map((action) => ({
        action: `plugin::content-manager.explorer.${action}`,
        subject: GP,
        properties: { fields, locales: ['it', 'en'] },
      })),
    );
    const author = await contentManager(kb, await adminUser(kb, role.code, 'Carla'));
    const { documentId } = (await author.create(GP, practiceForm('pratica-di-autrice'))).body.data;
    const res = await author.save(GP, documentId, { ...practiceForm('pratica-di-autrice'), curationStatus: 'in_review' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^Solo un revisore può cambiare lo stato della revisione.*Only a reviewer/);
    const note = await author.save(GP, documentId, { ...practiceForm('pratica-di-autrice'), reviewerNote: 'Mi approvo da sola' });
    expect(note.status).toBe(400);
    expect((await stored(documentId)).curationStatus).toBe('submitted');
  });

  test('the API is gated too: an integration publishes a practice only when it is validated', async () => {
    const auth = { authorization: `Bearer ${await kb.apiToken()}` };
    const count = () => kb.strapi.db.query(GP).count({ where: { slug: { $in: ['via-api', 'via-graphql'] } } });
    const data = { title: 'Pratica via API', slug: 'via-api', summary: "Scritta da un'integrazione.", source: { title: 'Test' } };

    const rest = await kb.http().post('/api/good-practices').set(auth).send({ data });
    expect(rest.status).toBe(400);
    expect(rest.body.error.message).toMatch(/cannot be published yet/);
    const gql = await kb.graphql(
      `mutation($data: GoodPracticeInput!) { createGoodPractice(data: $data, status: PUBLISHED) { documentId } }`,
      { data: { ...data, slug: 'via-graphql' } },
      auth,
    );
    expect(gql.body.errors[0].message).toMatch(/cannot be published yet/);
    expect(await count()).toBe(0);

    // A draft is fine; publishing it waits for validation; a validated one is published.
    const draft = await kb.http().post('/api/good-practices').query({ status: 'draft' }).set(auth).send({ data });
    expect(draft.status).toBe(201);
    const publish = await kb
      .http()
      .put(`/api/good-practices/${draft.body.data.documentId}`)
      .set(auth)
      .send({ data: { summary: 'Pubblicala.' } });
    expect(publish.status).toBe(400);
    const validated = await kb
      .http()
      .put(`/api/good-practices/${draft.body.data.documentId}`)
      .set(auth)
      .send({ data: { curationStatus: 'validated' } });
    expect(validated.status).toBe(200);
    expect(await anonymousTitles('via-api')).toEqual({ it: ['Pratica via API'], en: [] });
  });

  test('scripts meet the gate as well', async () => {
    const documents = kb.strapi.documents(GP);
    const draft = await documents.create({ locale: 'it', data: practiceForm('da-script') as any });
    await expect(documents.publish({ documentId: draft.documentId, locale: '*' })).rejects.toThrow(/cannot be published yet/);
    expect(await kb.strapi.db.query(GP).count({ where: { documentId: draft.documentId, publishedAt: { $notNull: true } } })).toBe(0);
  });
});

describe('required fields in the admin', () => {
  test('saving with a required field empty is refused, each empty field named, and nothing is written', async () => {
    const { editor } = await people();
    const before = await kb.strapi.db.query(GP).count();
    const res = await editor.create(GP, { ...practiceForm('senza-titolo'), title: '', source: { title: ' ' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'Non salvato: compila i campi obbligatori (Titolo, Fonte › Titolo della fonte). — Not saved: fill in the required fields (Title, Source › Source title).',
    );
    expect(res.body.error.details.errors.map((e: any) => e.path)).toEqual([['title'], ['source', 'title']]);
    expect(await kb.strapi.db.query(GP).count()).toBe(before);

    const { documentId } = (await editor.create(GP, practiceForm('con-titolo'))).body.data;
    const emptied = await editor.save(GP, documentId, { ...practiceForm('con-titolo'), summary: '' });
    expect(emptied.status).toBe(400);
    expect(emptied.body.error.details.errors.map((e: any) => e.path)).toEqual([['summary']]);
    expect((await stored(documentId)).summary).toBe('Una pratica scritta da una redattrice.');
  });

  test("integrations keep Strapi's rule: a partial draft is accepted, required fields are checked at publication", async () => {
    const auth = { authorization: `Bearer ${await kb.apiToken()}` };
    const res = await kb
      .http()
      .post('/api/outcomes')
      .query({ status: 'draft' })
      .set(auth)
      .send({ data: { title: 'Bozza parziale', slug: 'bozza-parziale' } });
    expect(res.status).toBe(201);
  });
});

describe('one slug per record, in every language', () => {
  test("a new language version keeps the record's slug; changing it in one language only is refused", async () => {
    const { editor } = await people();
    const { documentId } = (await editor.create(GP, practiceForm('sportello-lavoro'))).body.data;
    // The admin offers the new language a slug of its own (here the placeholder it generates).
    const english = practiceForm('good-practice', { title: 'Job desk', summary: 'In English.', source: { title: 'Interview' } });
    expect((await editor.save(GP, documentId, english, 'en')).body.data.slug).toBe('sportello-lavoro');
    const renamed = await editor.save(GP, documentId, { ...english, slug: 'job-desk' }, 'en');
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.message).toMatch(/è lo stesso in tutte le lingue.*the same in every language/);
    expect((await kb.strapi.db.query(GP).findMany({ where: { documentId }, select: ['slug'] })).map((row: any) => row.slug)).toEqual([
      'sportello-lavoro',
      'sportello-lavoro',
    ]);
  });
});

describe('two editors saving the same record', () => {
  test('changes to different fields are merged: neither erases the other', async () => {
    const { editor, otherEditor } = await people();
    const form = practiceForm('pratica-a-quattro-mani');
    const { documentId } = (await editor.create(GP, form)).body.data;
    expect((await editor.open(GP, documentId)).status).toBe(200);
    expect((await otherEditor.open(GP, documentId)).status).toBe(200);

    expect((await editor.save(GP, documentId, { ...form, summary: 'Sintesi di Anna.' })).status).toBe(200);
    // Bruno's form still holds the summary he opened; he only changed the results.
    expect((await otherEditor.save(GP, documentId, { ...form, results: 'Risultati di Bruno.' })).status).toBe(200);
    expect(await stored(documentId)).toMatchObject({ summary: 'Sintesi di Anna.', results: 'Risultati di Bruno.' });
  });

  test('the same field changed by both: the second save is refused, saying who saved; the refused text is handed back', async () => {
    const { editor, otherEditor } = await people();
    const form = practiceForm('pratica-condivisa');
    const { documentId } = (await editor.create(GP, form)).body.data;
    await editor.open(GP, documentId);
    await otherEditor.open(GP, documentId);

    expect((await editor.save(GP, documentId, { ...form, summary: 'Versione di Anna.' })).status).toBe(200);
    const late = await otherEditor.save(GP, documentId, { ...form, summary: 'Versione di Bruno.', results: 'Risultati di Bruno.' });
    expect(late.status).toBe(400);
    expect(late.body.error.message).toMatch(
      /^Non salvato: Anna Test ha salvato questa scheda \(.+\) dopo che l'hai aperta e ha cambiato anche Sintesi\..*Not saved: Anna Test saved this record .* also changed Summary\./,
    );
    expect(late.body.error.details.errors).toEqual([
      {
        path: ['summary'],
        message: 'La tua versione, non salvata — your version, not saved: «Versione di Bruno.»',
        name: 'ValidationError',
      },
    ]);
    expect(await stored(documentId)).toMatchObject({ summary: 'Versione di Anna.', results: null });

    // Reloaded (opened again), Bruno combines both and saves.
    expect((await otherEditor.open(GP, documentId)).body.data.summary).toBe('Versione di Anna.');
    expect(
      (await otherEditor.save(GP, documentId, { ...form, summary: 'Versione di Anna e di Bruno.', results: 'Risultati di Bruno.' })).status,
    ).toBe(200);
    // Anna's next save from the page she still has open would erase that: refused in turn.
    expect((await editor.save(GP, documentId, { ...form, summary: 'Ancora Anna.' })).status).toBe(400);
    expect(await stored(documentId)).toMatchObject({ summary: 'Versione di Anna e di Bruno.', results: 'Risultati di Bruno.' });
  });

  test('a language version created by someone else since it was opened: a different text is refused, not overwritten', async () => {
    const { editor, otherEditor } = await people();
    const { documentId } = (await editor.create(GP, practiceForm('pratica-bilingue'))).body.data;
    // Neither finds an English version yet.
    expect((await editor.open(GP, documentId, 'en')).body.data).toEqual({});
    expect((await otherEditor.open(GP, documentId, 'en')).body.data).toEqual({});
    const english = practiceForm('pratica-bilingue', {
      title: 'Bilingual practice',
      summary: 'In English.',
      source: { title: 'Interview' },
    });
    expect((await otherEditor.save(GP, documentId, english, 'en')).status).toBe(200);
    const second = await editor.save(GP, documentId, { ...english, title: 'A bilingual practice' }, 'en');
    expect(second.status).toBe(400);
    expect(second.body.error.details.errors.map((e: any) => e.path)).toEqual([['title']]);
    expect((await stored(documentId, 'en')).title).toBe('Bilingual practice');
    // Editing one after the other, each from a freshly opened record, never conflicts.
    for (const who of [editor, otherEditor, editor]) {
      expect((await who.open(GP, documentId)).status).toBe(200);
      expect((await who.save(GP, documentId, practiceForm('pratica-bilingue', { summary: `Sintesi ${Math.random()}` }))).status).toBe(200);
    }
  });
});

describe('the field guide', () => {
  test('labels, help texts and list columns are the ones of data/admin/fields.json, in Italian', async () => {
    const { editor } = await people();
    const { body } = await editor.get(`/content-manager/content-types/${GP}/configuration`);
    const { metadatas, layouts } = body.data.contentType;
    expect(layouts.list).toEqual(['title', 'curationStatus']);
    expect(metadatas.results.edit).toMatchObject({
      label: 'Risultati ed evidenze di successo',
      description: expect.stringMatching(/buona evidenza è misurabile/),
    });
    expect(metadatas.transferability.edit.description).toMatch(/si può riprendere altrove/);
    expect(metadatas.curationStatus.list.label).toBe('Stato della revisione');
    expect(body.data.components['shared.source'].metadatas.title.edit.label).toBe('Titolo della fonte');
  });
});

describe('preview', () => {
  test('a draft opens as the public API will show it, through a signed link; a published record, through the public API', async () => {
    const { editor } = await people();
    const { documentId } = (await editor.create(GP, practiceForm('pratica-in-anteprima'))).body.data;
    const url = async (status: string) =>
      (await editor.get(`/content-manager/preview/url/${GP}`).query({ documentId, locale: 'it', status })).body.data.url as string;

    const draftLink = await url('draft');
    expect(draftLink).toMatch(/^\/preview\/good-practices\/\w+\?locale=it&expires=\d+&signature=/);
    const draft = await kb.http().get(draftLink);
    expect(draft.status).toBe(200);
    expect(draft.headers['cache-control']).toBe('no-store');
    expect(draft.body.data).toMatchObject({
      title: 'Pratica pratica-in-anteprima',
      source: { title: 'Intervista alla coordinatrice' },
      publishedAt: null,
    });
    expect(JSON.stringify(draft.body)).not.toMatch(/curationStatus|reviewerNote|createdBy|@example/);

    expect((await kb.http().get(draftLink.replace(/signature=.{4}/, 'signature=AAAA'))).status).toBe(403);
    expect((await kb.http().get(draftLink.replace('locale=it', 'locale=en'))).status).toBe(403);

    const seeded = await kb.strapi.documents(GP).findFirst({ status: 'published', locale: 'en' });
    const published = (
      await editor.get(`/content-manager/preview/url/${GP}`).query({ documentId: seeded!.documentId, locale: 'en', status: 'published' })
    ).body.data.url;
    expect(published).toBe(`/api/good-practices/${seeded!.documentId}?locale=en&populate=*`);
    expect((await kb.http().get(published)).body.data.title).toBe(seeded!.title);
  });
});
