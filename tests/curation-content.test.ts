/**
 * A validation holds for the content a reviewer saw. An Editor rewrote a validated practice and
 * it stayed validated, so a Reviewer or a token could publish text nobody reviewed. Now any
 * change to a validated practice's content sends it back to review, and publishing compares what
 * is published with what was validated (changes made from elsewhere included).
 */
import { GP, adminUser, contentManager, practiceForm } from './helpers/editors';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await startKnowledgeBase();
});
afterAll(async () => {
  await kb.stop();
});

const draft = (documentId: string, locale = 'it') => kb.strapi.db.query(GP).findOne({ where: { documentId, locale, publishedAt: null } });
const published = (documentId: string) => kb.strapi.db.query(GP).findMany({ where: { documentId, publishedAt: { $notNull: true } } });

// Logged in once: Strapi rate-limits admin logins.
let sessions:
  Promise<{ editor: Awaited<ReturnType<typeof contentManager>>; reviewer: Awaited<ReturnType<typeof contentManager>> }> | undefined;
const people = () =>
  (sessions ??= (async () => ({
    editor: await contentManager(kb, await adminUser(kb, 'strapi-editor', 'Elena')),
    reviewer: await contentManager(kb, await adminUser(kb, 'reviewer', 'Roberto')),
  }))());
const aTheme = () => kb.strapi.db.query('api::theme.theme').findOne({ where: { publishedAt: null, locale: 'it' } });

/** A practice written by an editor and validated by a reviewer, step by step, as in the admin. */
async function validatedPractice(slug: string) {
  const { editor, reviewer } = await people();
  const form = practiceForm(slug);
  const { documentId } = (await editor.create(GP, form)).body.data;
  expect((await reviewer.save(GP, documentId, { ...form, curationStatus: 'in_review' })).status).toBe(200);
  expect((await reviewer.save(GP, documentId, { ...form, curationStatus: 'validated' })).status).toBe(200);
  return { editor, reviewer, form, documentId };
}

describe('validation is bound to the content it saw', () => {
  test("an editor's change to a validated practice sends it back to review; it is not published until validated again", async () => {
    const { editor, reviewer, form, documentId } = await validatedPractice('riscritta-dopo-la-revisione');
    // The admin sends the whole form, the unchanged curation status included.
    const rewrite = await editor.save(GP, documentId, { ...form, curationStatus: 'validated', summary: 'Testo mai rivisto.' });
    expect(rewrite.status).toBe(200);
    expect(rewrite.body.data.curationStatus).toBe('in_review');
    expect((await draft(documentId)).curationStatus).toBe('in_review');

    const publish = await reviewer.publish(GP, documentId);
    expect(publish.status).toBe(400);
    expect(publish.body.error.message).toMatch(/changed after it was validated/);
    expect(await published(documentId)).toHaveLength(0);

    // The reviewer opens the practice (in review now), reads the new text and validates it: now
    // it is published, as validated.
    expect((await reviewer.open(GP, documentId)).body.data.curationStatus).toBe('in_review');
    expect((await reviewer.save(GP, documentId, { ...form, summary: 'Testo mai rivisto.', curationStatus: 'validated' })).status).toBe(200);
    expect((await reviewer.publish(GP, documentId)).status).toBe(200);
    expect((await published(documentId)).map((row: any) => row.summary)).toEqual(['Testo mai rivisto.']);
  });

  test('a change in another language, or to a relation, counts as a change', async () => {
    const { editor, form, documentId } = await validatedPractice('cambiata-in-inglese');
    expect((await editor.save(GP, documentId, { ...form, title: 'Changed in English', curationStatus: 'validated' }, 'en')).status).toBe(
      200,
    );
    expect((await draft(documentId)).curationStatus).toBe('in_review');

    const second = await validatedPractice('con-un-tema-in-piu');
    const theme = await aTheme();
    const linked = await second.editor.save(GP, second.documentId, {
      ...second.form,
      curationStatus: 'validated',
      themes: { connect: [{ documentId: theme.documentId, locale: theme.locale }] },
    });
    expect(linked.status).toBe(200);
    expect((await draft(second.documentId)).curationStatus).toBe('in_review');
  });

  test('saving a validated practice unchanged keeps it validated', async () => {
    const { editor, reviewer, form, documentId } = await validatedPractice('salvata-senza-cambiamenti');
    expect((await editor.save(GP, documentId, { ...form, curationStatus: 'validated' })).status).toBe(200);
    expect((await draft(documentId)).curationStatus).toBe('validated');
    expect((await reviewer.publish(GP, documentId)).status).toBe(200);
  });

  test('a change made from elsewhere (a theme linking the practice) is caught at publication', async () => {
    const { reviewer, form, documentId } = await validatedPractice('collegata-da-un-tema');
    const theme = await aTheme();
    await kb.strapi
      .documents('api::theme.theme')
      .update({ documentId: theme.documentId, locale: theme.locale, data: { goodPractices: { connect: [documentId] } } as any });
    // Still marked validated (the practice itself was not written), but not what was validated.
    expect((await draft(documentId)).curationStatus).toBe('validated');
    const publish = await reviewer.publish(GP, documentId);
    expect(publish.status).toBe(400);
    expect(publish.body.error.message).toMatch(/changed after it was validated/);
    // Scripts too.
    await expect(kb.strapi.documents(GP).publish({ documentId, locale: '*' })).rejects.toThrow(/changed after it was validated/);
    expect(await published(documentId)).toHaveLength(0);
    // The reviewer looks again and validates what is there now.
    expect((await reviewer.save(GP, documentId, { ...form, curationStatus: 'validated' })).status).toBe(200);
    expect((await reviewer.publish(GP, documentId)).status).toBe(200);
  });

  test('a practice from the source is published as written, claiming no review; an edit makes it a submission to review', async () => {
    const { editor, reviewer } = await people();
    // The seed records the article's practices as "from the source, not reviewed".
    const seeded = (await kb.strapi.db
      .query(GP)
      .findOne({ where: { slug: 'forum-regionale-sui-fenomeni-migratori', locale: 'it', publishedAt: null } }))!;
    expect([seeded.curationStatus, seeded.reviewerNote]).toEqual(['from_source', null]);
    const { documentId } = seeded;
    // Nobody in the admin claims a practice comes untouched from its source, not even a reviewer.
    const claim = await reviewer.save(GP, documentId, { summary: 'Riscritta.', curationStatus: 'submitted' });
    expect(claim.status).toBe(200);
    const back = await reviewer.save(GP, documentId, { curationStatus: 'from_source' });
    expect(back.status).toBe(400);
    expect(back.body.error.message).toMatch(/from the source, not reviewed/);
    // An editor's change to a practice still from the source: a submission, not published until validated.
    const other = (await kb.strapi.db
      .query(GP)
      .findOne({ where: { slug: 'incontri-formativi-nei-territori', locale: 'it', publishedAt: null } }))!;
    const edit = await editor.save(GP, other.documentId, { summary: 'Testo mai rivisto.', curationStatus: 'from_source' });
    expect(edit.status).toBe(200);
    expect(edit.body.data.curationStatus).toBe('submitted');
    expect((await reviewer.publish(GP, other.documentId)).status).toBe(400);
    expect((await published(other.documentId)).map((row: any) => row.summary)).not.toContain('Testo mai rivisto.');
  });

  test("scripts on the server (seed, import, the operator's code) are trusted like a reviewer, as before", async () => {
    const { documentId } = await validatedPractice('cambiata-da-uno-script');
    const documents = kb.strapi.documents(GP);
    await documents.update({ documentId, locale: 'it', data: { summary: 'Corretta da uno script.' } as any });
    expect((await draft(documentId)).curationStatus).toBe('validated');
    await documents.publish({ documentId, locale: 'it' });
    expect((await published(documentId)).map((row: any) => row.summary)).toEqual(['Corretta da uno script.']);
  });

  test("integrations are trusted like a reviewer, but do not publish an editor's unreviewed change", async () => {
    const auth = { authorization: `Bearer ${await kb.apiToken()}` };
    const { editor, form, documentId } = await validatedPractice('cambiata-da-una-integrazione');
    // An integration's own change to a validated practice is published, as before.
    const own = await kb
      .http()
      .put(`/api/good-practices/${documentId}`)
      .set(auth)
      .send({ data: { summary: "Corretta da un'integrazione." } });
    expect(own.status).toBe(200);
    expect((await published(documentId)).map((row: any) => row.summary)).toEqual(["Corretta da un'integrazione."]);
    // An editor's change sends it back to review: an integration's write does not publish it...
    expect((await editor.open(GP, documentId)).status).toBe(200);
    expect((await editor.save(GP, documentId, { ...form, summary: 'Mai rivista.', curationStatus: 'validated' })).status).toBe(200);
    const over = await kb
      .http()
      .put(`/api/good-practices/${documentId}`)
      .set(auth)
      .send({ data: { license: 'CC-BY-4.0' } });
    expect(over.status).toBe(400);
    expect(over.body.error.message).toMatch(/changed after it was validated/);
    expect((await published(documentId)).map((row: any) => row.summary)).toEqual(["Corretta da un'integrazione."]);
    // ...unless it validates it, a power integrations had and keep.
    const validating = await kb
      .http()
      .put(`/api/good-practices/${documentId}`)
      .set(auth)
      .send({ data: { curationStatus: 'validated' } });
    expect(validating.status).toBe(200);
    expect((await published(documentId)).map((row: any) => row.summary)).toEqual(['Mai rivista.']);
  });
});
