/**
 * Full-text search as a partner site uses it: anonymous GraphQL, Italian and English, ranked,
 * filtered, with snippets, following every editorial change at once and never showing drafts.
 */
import path from 'path';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';
import { SEARCH_TYPES, VOCABULARY_TYPES } from '../src/public-api/search/core';

const root = path.resolve(__dirname, '..');
let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await startKnowledgeBase();
});
afterAll(async () => {
  await kb.stop();
});

const SEARCH = `query Search($query: String!, $locale: I18NLocaleCode, $types: [SearchType!], $filters: SearchFiltersInput, $pagination: PaginationArg) {
  search(query: $query, locale: $locale, types: $types, filters: $filters, pagination: $pagination) {
    total totalExact offset limit items { type documentId slug title locale snippet score startDate endDate } } }`;

const search = async (variables: Record<string, unknown>) => {
  const res = await kb.graphql(SEARCH, variables);
  expect(res.body.errors).toBeUndefined();
  expect(res.status).toBe(200);
  return res.body.data.search as {
    total: number;
    totalExact: boolean;
    items: { type: string; slug: string; title: string; snippet: string; score: number; documentId: string }[];
  };
};
const slugs = async (variables: Record<string, unknown>) => (await search(variables)).items.map((item) => item.slug);

const refusal = async (variables: Record<string, unknown>) => {
  const res = await kb.graphql(SEARCH, variables);
  expect(res.status).toBe(400);
  expect(res.body.data ?? null).toBeNull();
  return res.body.errors[0].message as string;
};

const practices = () => kb.strapi.documents('api::good-practice.good-practice');
const practice = (slug: string, title: string, extra: Record<string, unknown> = {}) => ({
  slug,
  title,
  summary: 'Una pratica scritta dal test.',
  implementationStatus: 'ongoing',
  curationStatus: 'validated',
  source: { title: 'Test' },
  ...extra,
});

describe('what partners find', () => {
  test('"minori" finds the table on unaccompanied minors and young adults, title match first, terms marked', async () => {
    const result = await search({ query: 'minori', locale: 'it' });
    expect(result.items[0]).toMatchObject({ type: 'THEMATIC_TABLE', slug: 'minori-stranieri-e-neomaggiorenni', locale: 'it' });
    expect(result.items[0].score).toBeGreaterThanOrEqual(1);
    expect(result.items[0].snippet).toMatch(/<mark>minori<\/mark>/i);
    expect(result.total).toBe(result.items.length);
  });

  test('"housing" finds "Living in local areas" (abitare i territori) in English', async () => {
    expect(await slugs({ query: 'housing', locale: 'en' })).toContain('abitare-i-territori');
    // ...and Italian inflections of abitare do so in Italian.
    expect(await slugs({ query: 'abitazioni', locale: 'it' })).toContain('abitare-i-territori');
  });

  test('stemming, the thesaurus and accent folding', async () => {
    // formativi and formativo share a stem; formazione reaches them through the thesaurus.
    for (const query of ['formativo', 'formazione']) {
      expect(await slugs({ query, locale: 'it', types: ['GOOD_PRACTICE'] })).toContain('incontri-formativi-nei-territori');
    }
    expect(await slugs({ query: 'trainings', locale: 'en' })).toContain('incontri-formativi-nei-territori');
    // "attivita" (no accent) finds "attività".
    const hit = (await search({ query: 'attivita rilancio', locale: 'it' })).items.find((item) => item.slug === 'final-workshop-potenza');
    expect(hit?.snippet).toMatch(/<mark>rilancio<\/mark> delle <mark>attività<\/mark>/);
    // Every word must match.
    expect(await slugs({ query: 'minori zanzibar', locale: 'it' })).toEqual([]);
  });

  test('search-as-you-type: the last word matches as a prefix', async () => {
    expect(await slugs({ query: 'neomagg', locale: 'it' })).toContain('minori-stranieri-e-neomaggiorenni');
  });

  test('a word typed past its stem finds what the whole word finds, ranked, with the same words marked', async () => {
    // "training" is indexed as "train", so "traini" begins no term: it stands for the stem it begins.
    const whole = await search({ query: 'training', locale: 'en' });
    const partway = await search({ query: 'traini', locale: 'en' });
    expect(whole.items.length).toBeGreaterThan(0);
    expect(partway.items.every((item) => item.score > 0)).toBe(true);
    const shown = (result: typeof whole) => result.items.map(({ slug, score, snippet }) => ({ slug, score, snippet }));
    expect(shown(partway)).toEqual(shown(whole));
    expect(partway.items[0].snippet).toMatch(/<mark>training/i);
  });

  test('type, theme and date filters, and pagination', async () => {
    const tables = await search({ query: 'migranti', locale: 'it', types: ['THEMATIC_TABLE'] });
    expect(tables.items.length).toBeGreaterThan(0);
    expect(tables.items.every((item) => item.type === 'THEMATIC_TABLE')).toBe(true);

    const themed = await slugs({ query: 'rete', locale: 'it', filters: { themes: ['governance-dei-servizi'] } });
    expect(themed).toContain('rete-di-governance-pubblico-privata');
    expect(themed).not.toContain('forum-regionale-sui-fenomeni-migratori');

    // The Final Workshop's year (2022) is inferred: the index does not date it...
    const september = { query: 'workshop', locale: 'it', types: ['EVENT'], filters: { from: '2022-09-01', to: '2022-09-30' } };
    expect(await slugs(september)).toEqual([]);
    // ...until an editor confirms it.
    const events = kb.strapi.documents('api::event.event');
    const event = (await events.findFirst({ filters: { slug: 'final-workshop-potenza' }, locale: 'it', status: 'draft' } as any))!;
    for (const locale of ['it', 'en']) {
      await events.update({ documentId: event.documentId, locale, data: { inferences: [] } } as any);
      await events.publish({ documentId: event.documentId, locale } as any);
    }
    expect(await slugs(september)).toEqual(['final-workshop-potenza']);
    expect(await slugs({ query: 'workshop', locale: 'it', types: ['EVENT'], filters: { from: '2023-01-01' } })).toEqual([]);

    const all = await search({ query: 'migranti', locale: 'it' });
    const first = await search({ query: 'migranti', locale: 'it', pagination: { page: 1, pageSize: 2 } });
    const second = await search({ query: 'migranti', locale: 'it', pagination: { page: 2, pageSize: 2 } });
    expect(all.total).toBeGreaterThan(3);
    expect(first.total).toBe(all.total);
    expect([...first.items, ...second.items].map((i) => i.slug)).toEqual(all.items.slice(0, 4).map((i) => i.slug));
  });

  /** "migranti" in Italian from `start`, with a search setting (`performance.<setting>`) changed for this search alone: it is read at each search. */
  const migrantiWith = async (setting: string, value: number, start: number, limit: number) => {
    const before = kb.strapi.config.get(`performance.${setting}`);
    kb.strapi.config.set(`performance.${setting}`, value);
    try {
      return await search({ query: 'migranti', locale: 'it', pagination: { start, limit } });
    } finally {
      kb.strapi.config.set(`performance.${setting}`, before);
    }
  };

  test('matches are counted up to a bound: beyond it, the bound and totalExact false, and every page still comes', async () => {
    const ids = (result: { items: { slug: string }[] }) => result.items.map((item) => item.slug);
    const all = await search({ query: 'migranti', locale: 'it', pagination: { pageSize: 50 } });
    expect(all).toMatchObject({ totalExact: true, total: all.items.length });
    expect(all.total).toBeGreaterThan(4);
    // Other pagination than above, so that no answer kept by the cache is served.
    const bounded = (bound: number, start: number, limit: number) => migrantiWith('searchExactTotalUpTo', bound, start, limit);
    const first = await bounded(3, 0, 2);
    expect(first).toMatchObject({ total: 3, totalExact: false });
    expect(ids(first)).toEqual(ids(all).slice(0, 2));
    // A page past the bound: the same records as without one.
    const past = await bounded(3, 3, 50);
    expect(past).toMatchObject({ total: 3, totalExact: false });
    expect(ids(past)).toEqual(ids(all).slice(3));
    // As many matches as the bound: counted exactly.
    expect(await bounded(all.total, 1, 50)).toMatchObject({ total: all.total, totalExact: true });
  });

  test('every match of a kind is ranked: scores descend within each kind, and pages of 3 give every result once, in order', async () => {
    type Item = { type: string; slug: string; score: number };
    const vocabulary = VOCABULARY_TYPES.map((type) => SEARCH_TYPES[type].graphql);
    // The kinds in the order of the results: title hits first, knowledge before themes and territories, typos (score 0) last.
    const kindOf = (item: Item) =>
      `${item.score === 0 ? 'typo' : item.score >= 1 ? 'title' : 'text'} ${vocabulary.includes(item.type) ? 'vocabulary' : 'knowledge'}`;
    const kinds = (items: Item[]) =>
      items.reduce<Item[][]>((runs, item) => {
        const last = runs[runs.length - 1];
        if (last && kindOf(last[0]) === kindOf(item)) last.push(item);
        else runs.push([item]);
        return runs;
      }, []);
    const descending = (items: Item[]) => items.every((item, i) => i === 0 || items[i - 1].score >= item.score);
    // Other paginations than the tests above, so that no answer kept by the cache is served.
    const whole = await search({ query: 'migranti', locale: 'it', pagination: { start: 0, limit: 61 } });
    expect(whole).toMatchObject({ totalExact: true, total: whole.items.length });
    expect(kinds(whole.items).every(descending)).toBe(true);
    // Some kind has several matches, so that the order within a kind is tested.
    expect(Math.max(...kinds(whole.items).map((run) => run.length))).toBeGreaterThan(2);
    // Pages of 3 straddle the kinds: together, the same results, each once.
    const paged: string[] = [];
    for (let start = 0; start < whole.total; start += 3)
      paged.push(...(await search({ query: 'migranti', locale: 'it', pagination: { start, limit: 3 } })).items.map((item) => item.slug));
    expect(paged).toEqual(whole.items.map((item) => item.slug));
  });
});

describe('what people type: organisations, people, the project, themes, territories, names, typos', () => {
  const hits = async (query: string, locale = 'it', types?: string[]) =>
    (await search({ query, locale, ...(types ? { types } : {}) })).items.map((item) => `${item.type} ${item.slug}`);

  test('"Consorzio NOVA", "Locantore" and "FAMI" find the organisation, the speaker and the project first', async () => {
    expect((await hits('Consorzio NOVA'))[0]).toBe('ORGANIZATION consorzio-nova');
    expect((await hits('Locantore'))[0]).toMatch(/^PERSON /);
    // The event where she speaks is found by her name too.
    expect(await hits('Locantore')).toContain('EVENT final-workshop-potenza');
    expect((await hits('FAMI', 'en'))[0]).toMatch(/^PROJECT /);
    // Potenza lies in Basilicata: the region's name is searchable on it, after the region itself.
    expect(await hits('Basilicata', 'it', ['TERRITORY'])).toEqual(['TERRITORY basilicata', 'TERRITORY potenza']);
    expect(await hits('integrazione sociale', 'it', ['THEME'])).toEqual(['THEME integrazione-sociale']);
    // A theme filter finds the theme itself; a region's filter the places within it (the province and the city).
    expect(
      (await slugs({ query: 'Potenza', locale: 'it', types: ['TERRITORY'], filters: { territories: ['basilicata'] } })).sort(),
    ).toEqual(['comune-di-potenza', 'potenza']);
  });

  test('one typo in a word of five letters or more, ranked after the words as typed', async () => {
    for (const typo of ['Locantre', 'Lokantore', 'Locnatore', 'Locanttore']) {
      const result = await search({ query: typo, locale: 'it', types: ['PERSON'] });
      expect(result.items.map((item) => item.title)).toEqual(['Elvira Locantore']);
      expect(result.items[0].score).toBe(0);
      expect(result.items[0].snippet).not.toMatch(/<script/);
    }
    // Letters past the stem the index holds ("locantor") read as the name being typed, not as a typo.
    const pastStem = await search({ query: 'Locantorre', locale: 'it', types: ['PERSON'] });
    expect(pastStem.items.map((item) => item.title)).toEqual(['Elvira Locantore']);
    expect(pastStem.items[0].score).toBeGreaterThan(0);
    // Two typos, or one in a short word, are not tolerated.
    expect(await hits('Lokantorre')).toEqual([]);
    expect(await hits('NOVX', 'it', ['ORGANIZATION'])).toEqual([]);
    // Records matching the words as typed stay first, best first.
    const minori = await search({ query: 'minori', locale: 'it' });
    expect(minori.items[0].slug).toBe('minori-stranieri-e-neomaggiorenni');
    // A record found only through a typo scores 0, after every record matching as typed.
    const scores = minori.items.map((item) => item.score);
    expect(scores.slice(scores.indexOf(0) < 0 ? scores.length : scores.indexOf(0)).every((value) => value === 0)).toBe(true);
  });

  test('a person without consent is never found, nor counted, nor found through a record that names them', async () => {
    const people = kb.strapi.documents('api::person.person');
    const events = kb.strapi.documents('api::event.event');
    const person = await people.create({
      locale: 'it',
      status: 'published',
      data: {
        fullName: 'Ottavia Quercetani',
        slug: 'ottavia-quercetani',
        consentToPublish: true,
        bio: 'Relatrice.',
        source: { title: 'Test' },
      },
    } as any);
    const [workshop] = await events.findMany({
      filters: { slug: 'final-workshop-potenza' },
      locale: 'it',
      status: 'draft',
      populate: { agenda: { populate: ['speakers', 'thematicTable'] } },
    } as any);
    const agenda = (workshop as any).agenda.map((item: any) => ({
      ...item,
      speakers: item.speakers.map((speaker: any) => speaker.documentId),
      thematicTable: item.thematicTable?.documentId ?? null,
    }));
    agenda[0].speakers.push(person.documentId);
    await events.update({ documentId: workshop.documentId, locale: 'it', data: { agenda } as any });
    await events.publish({ documentId: workshop.documentId, locale: 'it' });
    expect(await hits('Quercetani')).toEqual(['PERSON ottavia-quercetani', 'EVENT final-workshop-potenza']);
    expect(await hits('Quercetano')).toEqual(['PERSON ottavia-quercetani', 'EVENT final-workshop-potenza']);

    // Consent withdrawn: the person leaves the results, the counts and the event's names at once.
    await people.update({ documentId: person.documentId, locale: 'it', data: { consentToPublish: false } as any });
    for (const query of ['Quercetani', 'Quercetano', 'Ottavia']) {
      const result = await search({ query, locale: 'it' });
      expect(result).toMatchObject({ total: 0, items: [] });
    }
    // A draft person with consent, named as a speaker, is not searchable either.
    await people.update({ documentId: person.documentId, locale: 'it', data: { consentToPublish: true } as any });
    expect((await search({ query: 'Quercetani', locale: 'it' })).total).toBe(0);
    await people.publish({ documentId: person.documentId, locale: 'it' });
    expect((await hits('Quercetani'))[0]).toBe('PERSON ottavia-quercetani');
    // The event names her again as the public API does: once its agenda, with her, is published again.
    const speaks = async () =>
      JSON.stringify(
        await kb.data('{ events(filters: { slug: { eq: "final-workshop-potenza" } }) { agenda { speakers { fullName } } } }'),
      ).includes('Quercetani');
    expect((await hits('Quercetani')).includes('EVENT final-workshop-potenza')).toBe(await speaks());
    await events.publish({ documentId: workshop.documentId, locale: 'it' });
    expect(await speaks()).toBe(true);
    expect(await hits('Quercetani')).toEqual(['PERSON ottavia-quercetani', 'EVENT final-workshop-potenza']);
  });

  test('renaming an organisation follows into the records that name it, and its own entry', async () => {
    const organizations = kb.strapi.documents('api::organization.organization');
    const [nova] = await organizations.findMany({ filters: { slug: 'consorzio-nova' }, status: 'draft' } as any);
    expect(await hits('Novissima')).toEqual([]);
    await organizations.update({ documentId: nova.documentId, data: { name: 'Consorzio Novissima' } as any });
    expect(await hits('Novissima')).toEqual([]);
    await organizations.publish({ documentId: nova.documentId });
    const found = await hits('Novissima');
    expect(found[0]).toBe('ORGANIZATION consorzio-nova');
    expect(found.length).toBeGreaterThan(1);
    await organizations.update({ documentId: nova.documentId, data: { name: 'Consorzio NOVA' } as any });
    await organizations.publish({ documentId: nova.documentId });
    expect(await hits('Novissima')).toEqual([]);
  });
});

describe('the index follows every editorial change at once, and drafts never surface', () => {
  test('draft, publish, edit, draft-only edit, unpublish, delete', async () => {
    const draft = await practices().create({
      locale: 'it',
      data: practice('pratica-zanzibar', 'Sportello zanzibar per i nuovi arrivati') as any,
    });
    expect(await slugs({ query: 'zanzibar', locale: 'it' })).toEqual([]);

    await practices().publish({ documentId: draft.documentId, locale: 'it' });
    expect(await slugs({ query: 'zanzibar', locale: 'it' })).toEqual(['pratica-zanzibar']);
    expect(await slugs({ query: 'zanzibar', locale: 'en' })).toEqual([]);
    // Typed as far as a beginning longer than the engines' prefix indexes (a new word of the vocabulary).
    expect(await slugs({ query: 'sportello zanzib', locale: 'it' })).toEqual(['pratica-zanzibar']);

    // An edit saved as draft does not reach the public index; publishing it does.
    await practices().update({
      documentId: draft.documentId,
      locale: 'it',
      data: { title: 'Sportello tanganica per i nuovi arrivati' } as any,
    });
    expect(await slugs({ query: 'tanganica', locale: 'it' })).toEqual([]);
    expect(await slugs({ query: 'zanzibar', locale: 'it' })).toEqual(['pratica-zanzibar']);
    await practices().publish({ documentId: draft.documentId, locale: 'it' });
    expect(await slugs({ query: 'tanganica', locale: 'it' })).toEqual(['pratica-zanzibar']);
    expect(await slugs({ query: 'zanzibar', locale: 'it' })).toEqual([]);
    expect(await slugs({ query: 'sportello tangan', locale: 'it' })).toEqual(['pratica-zanzibar']);
    expect(await slugs({ query: 'sportello zanzib', locale: 'it' })).toEqual([]);

    await practices().unpublish({ documentId: draft.documentId, locale: 'it' });
    expect(await slugs({ query: 'tanganica', locale: 'it' })).toEqual([]);
    await practices().publish({ documentId: draft.documentId, locale: 'it' });
    expect(await slugs({ query: 'tanganica', locale: 'it' })).toEqual(['pratica-zanzibar']);

    await practices().delete({ documentId: draft.documentId, locale: '*' } as any);
    expect(await slugs({ query: 'tanganica', locale: 'it' })).toEqual([]);
  });

  test('an edit through the API (GraphQL with a token) is searchable in the next request', async () => {
    const token = await kb.apiToken();
    const created = await kb.graphql(
      `mutation($data: GoodPracticeInput!) { createGoodPractice(data: $data, locale: "en", status: PUBLISHED) { documentId } }`,
      { data: practice('practice-kilimanjaro', 'Kilimanjaro desk for newcomers', { summary: 'A desk written by the test.' }) },
      { authorization: `Bearer ${token}` },
    );
    expect(created.body.errors).toBeUndefined();
    expect(await slugs({ query: 'kilimanjaro', locale: 'en' })).toEqual(['practice-kilimanjaro']);
  });

  test('territory filter includes what lies inside; renaming a theme updates the records that carry it', async () => {
    const [potenza] = await kb.strapi
      .documents('api::territory.territory')
      .findMany({ filters: { slug: 'potenza' }, locale: 'it', status: 'published' } as any);
    const [theme] = await kb.strapi
      .documents('api::theme.theme')
      .findMany({ filters: { slug: 'integrazione-sociale' }, locale: 'it', status: 'published' } as any);
    const doc = await practices().create({
      locale: 'it',
      data: practice('pratica-potentina', 'Sportello potentino di orientamento', {
        territories: [potenza.documentId],
        themes: [theme.documentId],
      }) as any,
    });
    await practices().publish({ documentId: doc.documentId, locale: 'it' });

    expect(await slugs({ query: 'sportello', locale: 'it', filters: { territories: ['basilicata'] } })).toEqual(['pratica-potentina']);
    expect(await slugs({ query: 'sportello', locale: 'it', filters: { territories: ['potenza'] } })).toEqual(['pratica-potentina']);
    // Practices of the whole region are not all in Potenza.
    expect(await slugs({ query: 'governance', locale: 'it', filters: { territories: ['potenza'] }, types: ['GOOD_PRACTICE'] })).toEqual([]);
    expect(
      (await slugs({ query: 'governance', locale: 'it', filters: { territories: ['basilicata'] }, types: ['GOOD_PRACTICE'] })).length,
    ).toBeGreaterThan(0);

    // Theme names are searchable on the records they describe, and follow the theme.
    expect(await slugs({ query: 'convivenza', locale: 'it' })).toEqual([]);
    await kb.strapi
      .documents('api::theme.theme')
      .update({ documentId: theme.documentId, locale: 'it', data: { name: 'Integrazione sociale e convivenza' } as any });
    await kb.strapi.documents('api::theme.theme').publish({ documentId: theme.documentId, locale: 'it' });
    expect(await slugs({ query: 'convivenza', locale: 'it' })).toEqual(
      expect.arrayContaining(['pratica-potentina', 'abitare-i-territori']),
    );
  });

  test("a link made from the other side (a theme naming a practice) reaches the practice's entry", async () => {
    const practiceDoc = await practices().create({
      locale: 'it',
      data: practice('pratica-lavoro', 'Sportello lavoro per i nuovi arrivati') as any,
    });
    await practices().publish({ documentId: practiceDoc.documentId, locale: 'it' });
    const themes = kb.strapi.documents('api::theme.theme');
    const [theme] = await themes.findMany({
      filters: { slug: 'inserimento-lavorativo' },
      locale: 'it',
      status: 'draft',
      populate: ['goodPractices'],
    } as any);
    expect(await slugs({ query: 'sportello lavoro', locale: 'it', filters: { themes: ['inserimento-lavorativo'] } })).toEqual([]);
    await themes.update({
      documentId: theme.documentId,
      locale: 'it',
      data: { goodPractices: { connect: [practiceDoc.documentId] } } as any,
    });
    await themes.publish({ documentId: theme.documentId, locale: 'it' });
    expect(await slugs({ query: 'sportello lavoro', locale: 'it', filters: { themes: ['inserimento-lavorativo'] } })).toEqual([
      'pratica-lavoro',
    ]);
  });

  test('a filter by slug names published themes and territories only: a draft one is unknown, as one that does not exist', async () => {
    const source = { title: 'Test' };
    const [potenza] = await kb.strapi.documents('api::territory.territory').findMany({ filters: { slug: 'potenza' }, locale: 'it' } as any);
    await kb.strapi.documents('api::territory.territory').create({
      locale: 'it',
      data: {
        slug: 'comune-in-bozza',
        name: 'Comune in bozza',
        level: 'municipality',
        parent: potenza.documentId,
        source,
        license: 'CC-BY-4.0',
      } as any,
    });
    const theme = await kb.strapi.documents('api::theme.theme').create({
      locale: 'it',
      data: { slug: 'tema-in-bozza', name: 'Tema in bozza', source, license: 'CC-BY-4.0' } as any,
    });
    expect(await refusal({ query: 'minori', locale: 'it', filters: { territories: ['comune-in-bozza'] } })).toMatch(
      /Unknown territory: comune-in-bozza/,
    );
    expect(await refusal({ query: 'minori', locale: 'it', filters: { themes: ['tema-in-bozza'] } })).toMatch(
      /Unknown theme: tema-in-bozza/,
    );
    // The vocabulary is read once per position of the index's log (src/public-api/search/kept-vocabulary.ts):
    // the next search after a publish names the theme, and the next after an unpublish no longer does.
    await kb.strapi.documents('api::theme.theme').publish({ documentId: theme.documentId, locale: 'it' });
    expect(await slugs({ query: 'minori', locale: 'it', filters: { themes: ['tema-in-bozza'] } })).toEqual([]);
    await kb.strapi.documents('api::theme.theme').unpublish({ documentId: theme.documentId, locale: 'it' });
    expect(await refusal({ query: 'minori', locale: 'it', filters: { themes: ['tema-in-bozza'] } })).toMatch(
      /Unknown theme: tema-in-bozza/,
    );
  });

  test('anonymous callers cannot reach drafts through search arguments: search has no status argument', async () => {
    const { __type } = await kb.data(`{ __type(name: "Query") { fields { name args { name } } } }`);
    const args = __type.fields.find((field: any) => field.name === 'search').args.map((arg: any) => arg.name);
    expect(args).not.toContain('status');
    expect(args).toContain('query');
    const res = await kb.graphql(`{ search(query: "minori", status: DRAFT) { total } }`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/Unknown argument "status" on field "Query.search"/);
  });
});

describe('bad input gets a clear 400', () => {
  test.each([
    [{ query: '   ' }, /no searchable words/],
    [{ query: 'il la di' }, /no searchable words/],
    [{ query: 'x'.repeat(201) }, /too long/],
    [{ query: 'a b c d e f g h i j k l m'.replace(/ /g, 'x ') }, /too many words/],
    [{ query: 'minori', locale: 'fr' }, /Unknown locale "fr"/],
    [{ query: 'minori', filters: { territories: ['atlantide'] } }, /Unknown territory: atlantide/],
    [{ query: 'minori', filters: { themes: ['astrologia'] } }, /Unknown theme: astrologia/],
    [{ query: 'minori', filters: { from: '2023-01-01', to: '2022-01-01' } }, /after/],
    [{ query: 'minori', pagination: { pageSize: 500 } }, /pageSize/],
    [{ query: 'minori', types: ['ALIEN'] }, /SearchType/],
  ])('%j', async (variables, message) => {
    expect(await refusal(variables)).toMatch(message);
  });

  test('query syntax of the engines is just text', async () => {
    for (const query of ['"minori', 'minori*', '(minori))', "minori' --", '{minori}:', 'minori & | !', 'minori:*A', 'minori\\']) {
      expect((await search({ query, locale: 'it' })).items.map((item) => item.slug)).toContain('minori-stranieri-e-neomaggiorenni');
    }
  });
});

describe('the search thread (src/public-api/search/thread.ts)', () => {
  const thread = () => kb.strapi.get('search-thread') as { alive: boolean; answered: number };

  test('answers every search, bad input included, each from the index as committed before it began', async () => {
    const before = thread().answered;
    expect(await slugs({ query: 'minori', locale: 'it' })).toContain('minori-stranieri-e-neomaggiorenni');
    expect(thread()).toEqual({ alive: true, answered: before + 1 });
    // Published with no search since: the thread's index is behind, its page's snapshot says so, and it catches up.
    const created = await practices().create({
      locale: 'it',
      status: 'published',
      data: practice('pratica-kamchatka', 'Sportello kamchatka') as any,
    });
    expect(await slugs({ query: 'kamchatka', locale: 'it' })).toEqual(['pratica-kamchatka']);
    expect(thread()).toEqual({ alive: true, answered: before + 2 });
    expect(await refusal({ query: 'il la di' })).toMatch(/no searchable words/);
    expect(await refusal({ query: 'kamchatka', filters: { themes: ['astrologia'] } })).toMatch(/Unknown theme: astrologia/);
    expect(thread().answered).toBeGreaterThan(before + 3);
    await practices().delete({ documentId: created.documentId, locale: '*' } as any);
    expect(await slugs({ query: 'kamchatka', locale: 'it' })).toEqual([]);
  });

  test('one that goes away loses no search: the node answers from an index of its own, then from a new thread', async () => {
    // The module as Strapi loaded it (dist/): its worker is compiled JavaScript.
    const searchModule = require(path.join(root, 'dist/src/public-api/search'));
    const variables = { query: 'rete', locale: 'it', filters: { territories: ['basilicata'] } };
    const answer = await search(variables);
    expect(answer.items.length).toBeGreaterThan(0);
    const worker = (kb.strapi as unknown as Record<symbol, { worker: { terminate(): Promise<number> } }>)[
      Symbol.for('comin40.search-thread')
    ].worker;
    // Searches in flight while the thread goes away: sent at once, so over a listening server (supertest listens per request).
    const server = kb.strapi.server.httpServer;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
      const body = JSON.stringify({ query: SEARCH, variables });
      const send = async () =>
        (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json()).data.search;
      const answers = Promise.all(Array.from({ length: 6 }, send));
      await worker.terminate();
      expect(await answers).toEqual(Array(6).fill(answer));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(thread().alive).toBe(false);
    const answered = thread().answered;
    expect(await search(variables)).toEqual(answer);
    const created = await practices().create({
      locale: 'it',
      status: 'published',
      data: practice('pratica-okhotsk', 'Sportello okhotsk') as any,
    });
    try {
      expect(await slugs({ query: 'okhotsk', locale: 'it' })).toEqual(['pratica-okhotsk']);
      expect(thread().answered).toBe(answered);
    } finally {
      await searchModule.holdSearchIndex(kb.strapi);
      await practices().delete({ documentId: created.documentId, locale: '*' } as any);
    }
    expect(thread()).toEqual({ alive: true, answered });
    expect(await search(variables)).toEqual(answer);
    expect(await slugs({ query: 'okhotsk', locale: 'it' })).toEqual([]);
    expect(thread()).toEqual({ alive: true, answered: answered + 2 });
  });
});
