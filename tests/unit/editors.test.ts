/** Pure cores of the editorial workflow: no Strapi, no database. */
import fs from 'fs';
import path from 'path';
import { FIELD_GUIDE, fieldLabel, fieldTexts, labelsOf, type FieldGuide } from '../../src/content/labels/core';
import {
  adminTranslations,
  codeName,
  englishTexts,
  guidedConfiguration,
  layoutInLanguage,
  listColumns,
  type ViewConfiguration,
} from '../../src/editorial/field-guide/core';
import { EDITOR, REVIEWER, isReviewer, rolePermissions } from '../../src/editorial/roles/core';
import { curationChangeRefusal, publishRefusal, REVIEWERS_ONLY, SOURCE_ONLY, sameNote } from '../../src/editorial/curation/core';
import { comparedFields, conflictMessage, fingerprints, remember, resolve, yourVersion } from '../../src/editorial/edit-conflicts/core';
import { FirstAdminConfigError, firstAdminFromEnv } from '../../src/editorial/first-admin/core';
import { draftUrl, previewKey, publishedUrl, verifyDraftUrl, PREVIEW_LIFETIME_MS } from '../../src/editorial/preview/core';
import type { Attributes } from '../../src/content/model/core';
import { emptyRequiredFields, pathLabel, requiredFieldsMessage } from '../../src/editorial/required-fields/core';
import { SLUG_CHANGE_REFUSED, sharedSlug } from '../../src/editorial/shared-slug/core';

const root = path.resolve(__dirname, '../..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));
const guide: FieldGuide = readJson(path.join(root, 'data/admin/fields.json'));
const schemas: Record<string, { info: { displayName: string }; attributes: Attributes }> = {};
for (const type of fs.readdirSync(path.join(root, 'src/api'))) {
  schemas[`api::${type}.${type}`] = readJson(path.join(root, 'src/api', type, 'content-types', type, 'schema.json'));
}
for (const category of fs.readdirSync(path.join(root, 'src/components'))) {
  for (const file of fs.readdirSync(path.join(root, 'src/components', category))) {
    schemas[`${category}.${file.replace(/\.json$/, '')}`] = readJson(path.join(root, 'src/components', category, file));
  }
}

describe('the field guide (data/admin/fields.json)', () => {
  test('explains every field of every type and component, in Italian and English', () => {
    expect(Object.keys(guide.models).sort()).toEqual(Object.keys(schemas).sort());
    const missing = Object.entries(schemas).flatMap(([model, { attributes }]) =>
      Object.keys(attributes).flatMap((field) => {
        const texts = fieldTexts(guide, model, field);
        return texts?.label.it && texts.label.en && texts.description?.it && texts.description.en ? [] : [`${model}.${field}`];
      }),
    );
    expect(missing).toEqual([]);
  });

  test('names each type as its schema does, and lists columns the type has', () => {
    for (const [model, { name, list }] of Object.entries(guide.models)) {
      if (!model.startsWith('api::')) continue;
      expect([model, name?.en]).toEqual([model, schemas[model].info.displayName]);
      for (const column of list ?? [])
        expect([model, column]).toEqual([model, column in schemas[model].attributes || column === 'updatedAt' ? column : 'missing']);
    }
    expect(guide.models['api::good-practice.good-practice'].list).toEqual(['title', 'curationStatus']);
  });

  test('names every code of every coded field, in Italian and English, and no code it does not have', () => {
    for (const [model, { attributes }] of Object.entries(schemas)) {
      for (const [field, attribute] of Object.entries(attributes)) {
        const values = fieldTexts(guide, model, field)?.values;
        if (attribute.type !== 'enumeration') {
          expect([model, field, values]).toEqual([model, field, undefined]);
          continue;
        }
        expect([model, field, Object.keys(values ?? {})]).toEqual([model, field, (attribute as { enum: string[] }).enum]);
        for (const [code, texts] of Object.entries(values!)) expect([code, Boolean(texts.it && texts.en)]).toEqual([code, true]);
      }
    }
  });

  test('each Italian text has one English version (the admin swaps texts by their wording)', () => {
    const seen = new Map<string, string>();
    const all = [guide.common, ...Object.values(guide.models).map((m) => m.fields ?? {})].flatMap((fields) => Object.values(fields));
    for (const texts of all) {
      for (const t of [texts.label, texts.description].filter(Boolean)) {
        expect([t!.it, seen.get(t!.it) ?? t!.en]).toEqual([t!.it, t!.en]);
        seen.set(t!.it, t!.en);
      }
    }
  });

  test('the stored view configuration gets the Italian texts and the list columns; the rest is kept; applying twice changes nothing', () => {
    const current: ViewConfiguration = {
      settings: { mainField: 'title', pageSize: 10 },
      metadatas: {
        id: { edit: {}, list: { label: 'id', searchable: true } },
        results: {
          edit: { label: 'results', description: '', placeholder: '', visible: true, editable: true },
          list: { label: 'results', sortable: true },
        },
        territories: { edit: { label: 'territories', mainField: 'name', visible: true }, list: { label: 'territories' } },
      },
      layouts: { list: ['id', 'title'], edit: [[{ name: 'results', size: 6 }]] },
    };
    const once = guidedConfiguration(current, guide, 'api::good-practice.good-practice');
    expect(once.metadatas.results.edit).toMatchObject({ label: 'Risultati ed evidenze di successo', visible: true, editable: true });
    expect(once.metadatas.results.edit?.description).toMatch(/^Che cosa è cambiato/);
    expect(once.metadatas.territories).toEqual({
      edit: { label: 'Territori', mainField: 'name', visible: true, description: expect.any(String), placeholder: '' },
      list: { label: 'Territori' },
    });
    expect(once.metadatas.id).toEqual(current.metadatas.id);
    expect(once.layouts).toEqual({ list: ['title', 'curationStatus'], edit: current.layouts.edit });
    expect(once.settings).toEqual(current.settings);
    expect(guidedConfiguration(once, guide, 'api::good-practice.good-practice')).toEqual(once);
  });

  test('admin translations: field labels in both languages (the admin falls back to English), type names in Italian', () => {
    const { it, en } = adminTranslations(guide);
    const id = (field: string) => `content-manager.content-types.api::good-practice.good-practice.${field}`;
    expect([it[id('curationStatus')], en[id('curationStatus')]]).toEqual(['Stato della revisione', 'Curation status']);
    expect([it[id('updatedAt')], en[id('updatedAt')]]).toEqual(['Aggiornato', 'Updated']);
    expect([it[id('source')], en[id('source')]]).toEqual(['Fonte', 'Source']);
    expect(it['content-manager.content-types.api::outcome.outcome.title']).toBe('Titolo');
    expect(it['Good practice']).toBe('Buona pratica');
    expect(it['Thematic table']).toBe('Tavolo tematico');
    expect(Object.keys(it).some((key) => key.includes('shared.source'))).toBe(false);
  });

  test("list columns: the guide's, unless editors changed the ones a start applied", () => {
    const guideColumns = ['title', 'curationStatus'];
    // Never applied (a new database, or a database from before the guide had columns): the guide's.
    expect(listColumns(['id', 'title'], undefined, guideColumns)).toBe(guideColumns);
    // Applied and untouched: the guide's, also when the guide has changed since.
    expect(listColumns(['title', 'updatedAt'], ['title', 'updatedAt'], guideColumns)).toBe(guideColumns);
    // Changed by editors after a start applied the guide: theirs.
    expect(listColumns(['title', 'slug'], ['title', 'updatedAt'], guideColumns)).toEqual(['title', 'slug']);
    expect(listColumns(['id', 'title'], undefined, undefined)).toEqual(['id', 'title']);
  });

  test("codes' names: in the drop-downs by the code (one name per code), in lists by type and field", () => {
    const { it, en } = adminTranslations(guide);
    expect([it.validated, en.validated, it.in_review, it.ongoing, en.at_least]).toEqual([
      'Validata',
      'Validated',
      'In revisione',
      'In corso',
      'At least',
    ]);
    const practice = 'api::good-practice.good-practice';
    expect(codeName(guide, practice, 'implementationStatus', 'ongoing', 'it')).toBe('In corso');
    expect(codeName(guide, practice, 'implementationStatus', 'ongoing', 'fr')).toBe('Ongoing');
    expect(codeName(guide, practice, 'implementationStatus', 'unheard_of', 'it')).toBe('unheard_of');
    expect(codeName(guide, 'api::territory.territory', 'level', 'region', 'it')).toBe('Regione');
    // A code named differently in two fields cannot be a drop-down's option id: the guide is refused.
    const twoNames = structuredClone(guide);
    twoNames.models['api::territory.territory'].fields!.level.values!.region = { it: 'Zona', en: 'Area' };
    twoNames.models['api::theme.theme'].fields!.name.values = { region: { it: 'Regione', en: 'Region' } };
    expect(() => adminTranslations(twoNames)).toThrow(/"region" of api::(territory.territory.level|theme.theme.name) has another name/);
  });

  test("codes are no ids of Strapi's own messages (the drop-downs translate options by their code)", () => {
    const module = require(path.join(root, 'node_modules/@strapi/admin/dist/admin/admin/src/translations/en.json.js'));
    const strapiIds = new Set(Object.keys(module.default ?? module));
    const codes = Object.values(guide.models).flatMap(({ fields = {} }) =>
      Object.values(fields).flatMap((f) => Object.keys(f.values ?? {})),
    );
    expect(codes.filter((code) => strapiIds.has(code))).toEqual([]);
  });

  test("the Italian for Strapi's own strings uses ids Strapi has (checked against its English messages)", () => {
    const messages = (file: string, prefix = '') => {
      const module = require(path.join(root, 'node_modules/@strapi', file));
      return Object.keys(module.default ?? module).map((key) => `${prefix}${key}`);
    };
    const known = new Set([
      ...messages('admin/dist/admin/admin/src/translations/en.json.js'),
      ...messages('content-manager/dist/admin/translations/en.json.js', 'content-manager.'),
      ...messages('i18n/dist/admin/translations/en.json.js', 'i18n.'),
      ...messages('upload/dist/admin/translations/en.json.js', 'upload.'),
    ]);
    // A few ids only exist in the code, with a default message (the list's status column).
    const code = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((entry) =>
          entry.isDirectory()
            ? code(path.join(dir, entry.name))
            : entry.name.endsWith('.mjs')
              ? [fs.readFileSync(path.join(dir, entry.name), 'utf8')]
              : [],
        );
    const italian = readJson(path.join(root, 'data/admin/strapi-it.json')).messages;
    const unknown = Object.keys(italian).filter((key) => !known.has(key));
    const contentManagerCode = unknown.length ? code(path.join(root, 'node_modules/@strapi/content-manager/dist/admin')).join('\n') : '';
    expect(unknown.filter((key) => !contentManagerCode.includes(key.replace(/^content-manager\./, '')))).toEqual([]);
  });

  test('the edit view shows the English texts in any admin language but Italian', () => {
    const layout = {
      layout: [
        [
          [
            {
              label: 'Trasferibilità',
              hint: fieldTexts(guide, 'api::good-practice.good-practice', 'transferability')!.description!.it,
              name: 'transferability',
            },
          ],
        ],
      ],
      components: { 'shared.source': { layout: [[{ label: 'Titolo della fonte', hint: '', name: 'title' }]] } },
    };
    const english = englishTexts(guide);
    const en = layoutInLanguage(layout, 'en', english);
    expect(en.layout[0][0][0]).toMatchObject({
      label: 'Transferability',
      hint: expect.stringMatching(/^Whether and how the practice can be taken up elsewhere/),
      name: 'transferability',
    });
    expect(en.components['shared.source'].layout[0][0]).toMatchObject({ label: 'Source title', hint: '' });
    expect(layoutInLanguage(layout, 'it', english)).toBe(layout);
  });

  test("labels for the JSON-LD, the static site and the explorer are the admin's (src/content/labels)", () => {
    expect(FIELD_GUIDE).toEqual(guide);
    const practice = 'api::good-practice.good-practice';
    expect(fieldLabel(practice, 'results', 'it')).toBe('Risultati ed evidenze di successo');
    expect(fieldLabel(practice, 'results', 'fr')).toBe('Results and evidence of success');
    // `common` applies to every type that has the field; a field the guide does not name keeps its name.
    expect(fieldLabel(practice, 'themes', 'en')).toBe(guide.common.themes.label.en);
    expect(fieldLabel('shared.source', 'note', 'it')).toBe('Nota sulla fonte');
    expect(fieldLabel(practice, 'nameless', 'it')).toBe('nameless');
    expect(labelsOf(practice, ['results', 'nameless'])).toEqual({
      results: { it: 'Risultati ed evidenze di successo', en: 'Results and evidence of success' },
    });
    // A coded field's label carries its codes' names.
    expect(labelsOf(practice, ['implementationStatus']).implementationStatus).toEqual({
      it: 'Stato di attuazione',
      en: 'Implementation status',
      values: {
        planned: { it: 'Prevista', en: 'Planned' },
        ongoing: { it: 'In corso', en: 'Ongoing' },
        concluded: { it: 'Conclusa', en: 'Concluded' },
      },
    });
  });
});

describe('roles', () => {
  const fields = {
    'api::good-practice.good-practice': ['title', 'curationStatus', 'reviewerNote', 'source.title'],
    'api::theme.theme': ['name'],
  };
  const find = (permissions: ReturnType<typeof rolePermissions>, action: string, subject: string) =>
    permissions.find((p) => p.action === `plugin::content-manager.explorer.${action}` && p.subject === subject);

  test('an editor reads the review but does not write it, and does not publish', () => {
    const editor = rolePermissions(EDITOR, fields, ['it', 'en']);
    expect(find(editor, 'read', 'api::good-practice.good-practice')!.properties).toEqual({
      fields: fields['api::good-practice.good-practice'],
      locales: ['it', 'en'],
    });
    for (const action of ['create', 'update']) {
      expect(find(editor, action, 'api::good-practice.good-practice')!.properties!.fields).toEqual(['title', 'source.title']);
    }
    expect(find(editor, 'delete', 'api::good-practice.good-practice')!.properties).toEqual({ locales: ['it', 'en'] });
    expect(editor.filter((p) => p.action.endsWith('.publish'))).toEqual([]);
    expect(editor.map((p) => p.action)).toContain('plugin::upload.assets.create');
  });

  test('a reviewer writes every field and publishes', () => {
    const reviewer = rolePermissions(REVIEWER, fields, ['it', 'en']);
    expect(find(reviewer, 'update', 'api::good-practice.good-practice')!.properties!.fields).toEqual(
      fields['api::good-practice.good-practice'],
    );
    expect(find(reviewer, 'publish', 'api::theme.theme')!.properties).toEqual({ locales: ['it', 'en'] });
  });

  test('reviewers and super admins review; nobody else', () => {
    expect(isReviewer([{ code: 'reviewer' }])).toBe(true);
    expect(isReviewer([{ code: 'strapi-editor' }, { code: 'strapi-super-admin' }])).toBe(true);
    expect(isReviewer([{ code: 'strapi-editor' }])).toBe(false);
    expect(isReviewer(undefined)).toBe(false);
  });
});

describe('curation', () => {
  test('only a validated practice is published; the refusal names where it stands, in both languages', () => {
    expect(publishRefusal('validated')).toBeNull();
    // Published as the source tells it, with no review claimed.
    expect(publishRefusal('from_source')).toBeNull();
    expect(publishRefusal('in_review')).toMatch(/«in revisione».*"in review"/);
    expect(publishRefusal(undefined)).toMatch(/«inviata».*"submitted"/);
  });

  test.each([
    // from, to, note changed, reviewer → refusal
    [undefined, 'submitted', false, false, null],
    [undefined, undefined, false, false, null],
    ['submitted', 'submitted', false, false, null],
    ['submitted', 'in_review', false, false, REVIEWERS_ONLY],
    ['validated', 'validated', true, false, REVIEWERS_ONLY],
    ['submitted', 'in_review', false, true, null],
    ['in_review', 'validated', true, true, null],
    ['validated', 'submitted', false, true, null],
    ['in_review', 'submitted', false, true, null],
    [
      'submitted',
      'validated',
      false,
      true,
      /da «inviata» si passa a «in revisione», non a «validata».*after "submitted" comes "in review", not "validated"/,
    ],
    [undefined, 'validated', false, true, /un passo alla volta/],
    [undefined, 'in_review', false, true, null],
    // From the source: a reviewer starts its review or sends it to the editors; nobody puts a practice back there.
    ['from_source', 'in_review', false, true, null],
    ['from_source', 'submitted', false, true, null],
    ['from_source', 'validated', false, true, /da «dalla fonte, non revisionata» si passa a «in revisione»/],
    ['from_source', 'in_review', false, false, REVIEWERS_ONLY],
    ['submitted', 'from_source', false, true, SOURCE_ONLY],
    ['validated', 'from_source', false, true, SOURCE_ONLY],
  ])('%s → %s (note changed: %s, reviewer: %s)', (from, to, noteChanged, reviewer, expected) => {
    const refusal = curationChangeRefusal({ from, to, noteChanged: noteChanged as boolean, reviewer: reviewer as boolean });
    if (expected instanceof RegExp) expect(refusal).toMatch(expected);
    else expect(refusal).toBe(expected);
  });

  test('an empty note is no note', () => {
    expect(sameNote('', null)).toBe(true);
    expect(sameNote(undefined, null)).toBe(true);
    expect(sameNote('x', null)).toBe(false);
  });
});

describe('required fields in the admin', () => {
  const source: Attributes = { title: { type: 'string', required: true }, note: { type: 'text' } };
  const group: Attributes = { group: { type: 'enumeration', required: true } };
  const practice: Attributes = {
    title: { type: 'string', required: true },
    summary: { type: 'text', required: true },
    license: { type: 'string', required: true, default: 'CC-BY-4.0' },
    project: { type: 'relation', required: true },
    source: { type: 'component', component: 'shared.source', required: true },
    targetGroups: { type: 'component', component: 'shared.target-group', repeatable: true },
  };
  const component = (uid: string) => (uid === 'shared.source' ? source : group);

  test('a new record needs every required field without a default; blanks count as empty', () => {
    expect(emptyRequiredFields(practice, component, { title: '  ', source: { note: 'x' } }, true)).toEqual([
      ['title'],
      ['summary'],
      ['source', 'title'],
    ]);
    expect(
      emptyRequiredFields(
        practice,
        component,
        { title: 'T', summary: 'S', source: { title: 'F' }, targetGroups: [{ group: 'employers' }, {}] },
        true,
      ),
    ).toEqual([['targetGroups', '1', 'group']]);
  });

  test('an update is judged on what it sends', () => {
    expect(emptyRequiredFields(practice, component, { summary: 'Nuova sintesi' }, false)).toEqual([]);
    expect(emptyRequiredFields(practice, component, { summary: '', source: null }, false)).toEqual([['summary'], ['source']]);
  });

  test('empty fields are named as the admin labels them', () => {
    const labels: Record<string, { it: string; en: string }> = {
      title: { it: 'Titolo', en: 'Title' },
      source: { it: 'Fonte', en: 'Source' },
    };
    const labelOf = (model: string, field: string) =>
      model === 'shared.source' && field === 'title' ? { it: 'Titolo della fonte', en: 'Source title' } : labels[field];
    expect(pathLabel(['source', 'title'], 'api::x.x', practice, component, labelOf)).toEqual({
      it: 'Fonte › Titolo della fonte',
      en: 'Source › Source title',
    });
    expect(pathLabel(['targetGroups', '0', 'group'], 'api::x.x', practice, component, labelOf)).toEqual({
      it: 'targetGroups › group',
      en: 'targetGroups › group',
    });
    expect(
      requiredFieldsMessage([
        { it: 'Titolo', en: 'Title' },
        { it: 'Sintesi', en: 'Summary' },
      ]),
    ).toBe('Non salvato: compila i campi obbligatori (Titolo, Sintesi). — Not saved: fill in the required fields (Title, Summary).');
  });
});

describe('two editors on one record', () => {
  const attributes: Attributes = {
    title: { type: 'string' },
    summary: { type: 'text' },
    value: { type: 'decimal' },
    themes: { type: 'relation' },
    source: { type: 'component', component: 'shared.source' },
  };
  const source: Attributes = { title: { type: 'string' }, note: { type: 'text' }, publisher: { type: 'relation' } };
  const component = () => source;
  const fields = comparedFields(attributes);
  const print = (record: Record<string, unknown>) => fingerprints(record, fields, attributes, component);
  const opened = { title: 'T', summary: 'S', value: 3, source: { id: 7, title: 'F', note: null } };

  test('relations are left out (they are sent as changes); the form and the database print the same record alike', () => {
    expect(fields).toEqual(['title', 'summary', 'value', 'source']);
    const fromForm = { title: 'T', summary: 'S', value: '3', source: { title: 'F', note: '', __temp_key__: 'a0' } };
    expect(print(fromForm)).toEqual(print(opened));
    expect(print({ ...opened, summary: 'S2' }).summary).not.toBe(print(opened).summary);
  });

  test('the versions opened are remembered, most recent last, the oldest forgotten', () => {
    let versions = {};
    for (const key of ['a', 'b', 'c']) versions = remember(versions, key, { at: 1, fields: {} }, 2);
    expect(Object.keys(versions)).toEqual(['b', 'c']);
    expect(Object.keys(remember(versions, 'b', { at: 2, fields: {} }, 2))).toEqual(['c', 'b']);
  });

  test('a save is sent as it is when nobody saved since it was opened, or when it was not opened through the admin', () => {
    const version = { at: 1, fields: print(opened) };
    expect(resolve(version, version, print({ ...opened, summary: 'nuova' }))).toEqual({ write: 'as sent' });
    expect(resolve(undefined, { at: 2, fields: print(opened) }, print(opened))).toEqual({ write: 'as sent' });
    expect(resolve(version, null, print(opened))).toEqual({ write: 'as sent' });
  });

  test('someone saved other fields since: merged, leaving out what this save did not change', () => {
    const base = { at: 1, fields: print(opened) };
    const theirs = { at: 2, fields: print({ ...opened, summary: 'Anna' }) };
    expect(resolve(base, theirs, print({ ...opened, title: 'Bruno' }))).toEqual({
      write: 'merged',
      unchanged: ['summary', 'value', 'source'],
    });
    // Both made the same change: nothing to choose between.
    expect(resolve(base, theirs, print({ ...opened, summary: 'Anna' }))).toEqual({
      write: 'merged',
      unchanged: ['title', 'value', 'source'],
    });
  });

  test('someone changed the same field to something else: refused, naming the fields', () => {
    const base = { at: 1, fields: print(opened) };
    const theirs = { at: 2, fields: print({ ...opened, summary: 'Anna', source: { title: 'Fonte di Anna' } }) };
    expect(resolve(base, theirs, print({ ...opened, summary: 'Bruno', source: { title: 'Fonte di Bruno' } }))).toEqual({
      write: 'refused',
      clashes: ['summary', 'source'],
    });
    // A language version someone created after it was opened (absent then): any difference clashes.
    expect(resolve({ at: null, fields: {} }, { at: 2, fields: print(opened) }, print({ ...opened, title: 'Altro' }))).toEqual({
      write: 'refused',
      clashes: ['title'],
    });
  });

  test('the refusal says who saved, when (Italian time) and which fields; the refused value comes back to copy', () => {
    const message = conflictMessage({ at: Date.UTC(2024, 2, 5, 9, 7), by: 'Anna Rossi' }, [
      { it: 'Sintesi', en: 'Summary' },
      { it: 'Fonte', en: 'Source' },
    ]);
    expect(message).toMatch(
      /^Non salvato: Anna Rossi ha salvato questa scheda \(5 mar, 10:07\) dopo che l'hai aperta e ha cambiato anche Sintesi, Fonte\./,
    );
    expect(message).toMatch(
      /Not saved: Anna Rossi saved this record \(5 Mar, 10:07\) after you opened it and also changed Summary, Source\./,
    );
    expect(conflictMessage({ at: 0 }, [])).toMatch(/^Non salvato: qualcun altro ha salvato.*Not saved: someone else saved/);
    expect(yourVersion('Testo di Bruno')).toBe('La tua versione, non salvata — your version, not saved: «Testo di Bruno»');
    expect(yourVersion({ id: 3, title: 'Registro', url: null, note: 'pagina 4' })).toMatch(/«Registro · pagina 4»$/);
  });
});

describe('one slug per record', () => {
  test.each([
    ['the first language version', { sent: 'a', own: undefined, other: undefined }, null],
    [
      "a new language version takes the record's slug, whatever it sends",
      { sent: 'placeholder', own: undefined, other: 'a' },
      { slug: 'a' },
    ],
    ['an edit that keeps the slug', { sent: 'a', own: 'a', other: 'a' }, null],
    ['an edit that leaves it out', { sent: undefined, own: 'a', other: 'a' }, null],
    ['a change in one language only', { sent: 'b', own: 'a', other: 'a' }, { refusal: SLUG_CHANGE_REFUSED }],
    ['a change while there is one language only', { sent: 'b', own: 'a', other: undefined }, null],
  ])('%s', (_what, write, expected) => {
    expect(sharedSlug(write)).toEqual(expected);
  });
});

describe('first administrator', () => {
  test('from ADMIN_EMAIL and ADMIN_PASSWORD, or none', () => {
    expect(firstAdminFromEnv({})).toBeNull();
    expect(firstAdminFromEnv({ ADMIN_EMAIL: ' Anna@Example.org ', ADMIN_PASSWORD: 'Passw0rd-lunga' })).toEqual({
      email: 'anna@example.org',
      password: 'Passw0rd-lunga',
      firstname: 'anna',
    });
    expect(
      firstAdminFromEnv({
        ADMIN_EMAIL: 'a@example.org',
        ADMIN_PASSWORD: 'Passw0rd-lunga',
        ADMIN_FIRSTNAME: 'Anna',
        ADMIN_LASTNAME: 'Rossi',
      }),
    ).toMatchObject({
      firstname: 'Anna',
      lastname: 'Rossi',
    });
  });

  test.each([
    [{ ADMIN_EMAIL: 'a@example.org' }, /Set both ADMIN_EMAIL and ADMIN_PASSWORD/],
    [{ ADMIN_PASSWORD: 'Passw0rd-lunga' }, /Set both/],
    [{ ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'Passw0rd-lunga' }, /"not-an-email" is not an e-mail address/],
    [{ ADMIN_EMAIL: 'a@example.org', ADMIN_PASSWORD: 'Corta1' }, /needs at least 8 characters/],
    [{ ADMIN_EMAIL: 'a@example.org', ADMIN_PASSWORD: 'tuttominuscolo' }, /needs an uppercase letter, a number/],
    [{ ADMIN_EMAIL: 'a@example.org', ADMIN_PASSWORD: `Aa1${'è'.repeat(40)}` }, /at most 72 bytes/],
  ])('%j is refused', (env, message) => {
    expect(() => firstAdminFromEnv(env)).toThrow(FirstAdminConfigError);
    expect(() => firstAdminFromEnv(env)).toThrow(message);
  });
});

describe('preview links', () => {
  const key = previewKey('server secret');
  const target = { plural: 'good-practices', documentId: 'abc123', locale: 'it' };
  const parse = (url: string) => Object.fromEntries(new URL(url, 'http://x').searchParams);

  test('a draft link is valid for its target until it expires', () => {
    const now = 1_700_000_000_000;
    const url = draftUrl(key, target, now);
    expect(url).toMatch(/^\/preview\/good-practices\/abc123\?locale=it&expires=\d+&signature=[\w-]+$/);
    const { expires, signature } = parse(url);
    expect(verifyDraftUrl(key, target, expires, signature, now + 1000)).toBe('valid');
    expect(verifyDraftUrl(key, target, expires, signature, now + PREVIEW_LIFETIME_MS + 1)).toBe('expired');
    expect(verifyDraftUrl(key, { ...target, locale: 'en' }, expires, signature, now)).toBe('forged');
    expect(verifyDraftUrl(key, { ...target, documentId: 'other' }, expires, signature, now)).toBe('forged');
    expect(verifyDraftUrl(key, target, String(Number(expires) + 1000), signature, now)).toBe('forged');
    expect(verifyDraftUrl(previewKey('another secret'), target, expires, signature, now)).toBe('forged');
    expect(verifyDraftUrl(key, target, expires, undefined, now)).toBe('forged');
  });

  test('a published record links to the public API itself', () => {
    expect(publishedUrl(target)).toBe('/api/good-practices/abc123?locale=it&populate=*');
  });
});
