/**
 * The dashboard in one query: outcome figures summed per unit and theme counts, over published
 * content only, in Italian and English, with full nested objects.
 */
import fs from 'fs';
import path from 'path';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await startKnowledgeBase();
});
afterAll(async () => {
  await kb.stop();
});

const OUTCOME = 'api::outcome.outcome';
const seed = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '../data/seed', `${name}.json`), 'utf8')).records as any[];

const query = (q: string, variables?: Record<string, unknown>) => kb.data(q, variables);

const figuresQuery = `query($locale: I18NLocaleCode, $groupBy: [OutcomeDimension!], $filters: OutcomeFiltersInput) {
  outcomeFigures(locale: $locale, groupBy: $groupBy, filters: $filters) {
    project { acronym title } territory { slug nutsCode name } indicatorType indicatorCode unit total count qualifier
    outcomes { slug title value unit locale }
  }
}`;
const figures = async (variables: Record<string, unknown>) => (await query(figuresQuery, variables)).outcomeFigures;

/** The seed's outcomes as the figures grouped by project and indicator type must show them. */
function expectedSeedFigures(locale: 'it' | 'en') {
  const title = seed('projects')[0].locales[locale].title;
  return seed('outcomes')
    .map((o) => ({
      project: { acronym: 'Com.In.4.0', title },
      territory: null,
      indicatorType: o.fields.indicatorType,
      indicatorCode: null,
      unit: o.locales[locale].unit,
      total: o.fields.value,
      count: 1,
      qualifier: o.fields.qualifier,
      outcomes: [{ slug: o.slug, title: o.locales[locale].title, value: o.fields.value, unit: o.locales[locale].unit, locale }],
    }))
    .sort((a, b) => (a.indicatorType + a.unit < b.indicatorType + b.unit ? -1 : 1));
}

describe.each(['it', 'en'] as const)('outcome figures, locale %s', (locale) => {
  test('grouped by project and indicator type: one figure per unit, the seed values', async () => {
    expect(await figures({ locale, groupBy: ['PROJECT', 'INDICATOR_TYPE'] })).toEqual(expectedSeedFigures(locale));
  });

  test('grouped by territory: every seeded figure is a total for Basilicata', async () => {
    const result = await figures({ locale, groupBy: ['TERRITORY'] });
    expect(result.map((f: any) => f.territory?.slug ?? null)).toEqual(['basilicata', 'basilicata', 'basilicata', 'basilicata']);
    expect(result[0].territory).toEqual({ slug: 'basilicata', nutsCode: 'ITF5', name: 'Basilicata' });
    expect(result.every((f: any) => f.project === null && f.indicatorType === null)).toBe(true);
  });
});

test('the default locale is Italian; no grouping still keeps units apart', async () => {
  const result = await figures({});
  expect(result.map((f: any) => [f.unit, f.total])).toEqual([
    ['incontri formativi', 14],
    ['istituzioni, associazioni ed enti', 55],
    ['operatori pubblici', 50],
    ['persone', 110],
  ]);
  expect(result.find((f: any) => f.unit === 'persone').qualifier).toBe('at_least');
});

test('filters: the outcome filters, territory within included', async () => {
  const inBasilicata = await figures({ filters: { territory: { within: 'basilicata' } } });
  expect(inBasilicata.map((f: any) => f.total).sort((a: number, b: number) => a - b)).toEqual([14, 50, 55, 110]);
  const results = await figures({ filters: { indicatorType: { eq: 'result' } }, groupBy: ['INDICATOR_TYPE'] });
  expect(results).toHaveLength(1);
  expect(results[0]).toMatchObject({ indicatorType: 'result', total: 55, count: 1 });
});

test('nested objects are full objects: their own relations resolve', async () => {
  const { outcomeFigures } = await query(`{
    outcomeFigures(groupBy: [PROJECT]) { project { slug goodPractices { slug } } outcomes { slug goodPractices { slug } themes { slug } } }
  }`);
  expect(outcomeFigures[0].project.goodPractices).toHaveLength(4);
  const network = outcomeFigures.flatMap((f: any) => f.outcomes).find((o: any) => o.slug === 'rete-di-governance');
  expect(network).toEqual({
    slug: 'rete-di-governance',
    goodPractices: [{ slug: 'rete-di-governance-pubblico-privata' }],
    themes: [{ slug: 'governance-dei-servizi' }],
  });
});

describe('drafts never count; published outcomes do', () => {
  let documentId: string;
  const meetings = (result: any[], unit: string) => result.find((f) => f.unit === unit);

  test('a draft outcome in a unit already used is left out', async () => {
    const project = (await kb.strapi.documents('api::project.project').findFirst({ status: 'published' }))!.documentId;
    const data = {
      slug: 'altri-incontri',
      indicatorType: 'output',
      value: 2.5,
      qualifier: 'approx',
      project,
      source: { title: 'Test record' },
    };
    const created = await kb.strapi
      .documents(OUTCOME)
      .create({ locale: 'it', data: { ...data, title: 'Altri incontri', unit: 'incontri formativi' } } as any);
    documentId = created.documentId;
    await kb.strapi
      .documents(OUTCOME)
      .update({ documentId, locale: 'en', data: { ...data, title: 'More meetings', unit: 'training meetings' } } as any);
    expect(meetings(await figures({ groupBy: ['PROJECT'] }), 'incontri formativi')).toMatchObject({
      total: 14,
      count: 1,
      qualifier: 'exact',
    });
  });

  test('once published it is summed in its unit, and the sum is as weak as its weakest part', async () => {
    await kb.strapi.documents(OUTCOME).publish({ documentId, locale: '*' });
    for (const [locale, unit] of [
      ['it', 'incontri formativi'],
      ['en', 'training meetings'],
    ]) {
      const figure = meetings(await figures({ locale, groupBy: ['PROJECT'] }), unit);
      expect(figure).toMatchObject({ total: 16.5, count: 2, qualifier: 'approx' });
      expect(figure.outcomes.map((o: any) => o.slug)).toEqual(['altri-incontri', 'incontri-formativi-nei-territori']);
    }
  });
});

describe.each(['it', 'en'] as const)('theme counts, locale %s', (locale) => {
  test('every theme with the published records carrying it, as in the seed', async () => {
    const { themeCounts } = await query(
      `query($locale: I18NLocaleCode) { themeCounts(locale: $locale) { theme { slug name locale } goodPractices trainings thematicTables events outcomes total } }`,
      { locale },
    );
    const carrying = (file: string, slug: string) => seed(file).filter((r) => (r.relations?.themes ?? []).includes(slug)).length;
    const expected = seed('themes')
      .map((theme) => {
        const counts = {
          goodPractices: carrying('good-practices', theme.slug),
          trainings: 0,
          thematicTables: carrying('thematic-tables', theme.slug),
          events: carrying('events', theme.slug),
          outcomes: carrying('outcomes', theme.slug),
        };
        const total = Object.values(counts).reduce((a, b) => a + b, 0);
        return { theme: { slug: theme.slug, name: theme.locales[locale].name, locale }, ...counts, total };
      })
      .sort((a, b) => b.total - a.total || (a.theme.slug < b.theme.slug ? -1 : 1));
    expect(themeCounts).toEqual(expected);
    expect(themeCounts[0]).toMatchObject({
      theme: { slug: 'formazione-e-competenze-dei-migranti' },
      goodPractices: 1,
      thematicTables: 1,
      events: 1,
      outcomes: 0,
      total: 3,
    });
  });
});

test('theme counts leave drafts out and resolve nested relations', async () => {
  const theme = (await kb.strapi
    .documents('api::theme.theme')
    .findFirst({ status: 'published', filters: { slug: 'abitare-i-territori' } }))!;
  await kb.strapi.documents('api::good-practice.good-practice').create({
    locale: 'it',
    data: { title: 'Bozza', slug: 'bozza-abitare', summary: 'Bozza.', themes: [theme.documentId], source: { title: 'Test record' } },
  } as any);
  const { themeCounts } = await query(`{ themeCounts { theme { slug thematicTables { slug } goodPractices { slug } } goodPractices } }`);
  expect(themeCounts.find((c: any) => c.theme.slug === 'abitare-i-territori')).toEqual({
    theme: { slug: 'abitare-i-territori', thematicTables: [{ slug: 'abitare-i-territori' }], goodPractices: [] },
    goodPractices: 0,
  });
});

describe('bad input is a 400 with a clear message, never a 500', () => {
  test.each([
    ['an unknown locale', 'fr', /Unknown locale "fr".*it, en/],
    ['all locales at once', '*', /one locale at a time/],
  ])('%s', async (_what, locale, message) => {
    for (const q of [
      `query($l: I18NLocaleCode) { outcomeFigures(locale: $l) { total } }`,
      `query($l: I18NLocaleCode) { themeCounts(locale: $l) { total } }`,
    ]) {
      const anonymous = await kb.graphql(q, { l: locale });
      const withToken = await kb.graphql(q, { l: locale }, { authorization: `Bearer ${await kb.apiToken()}` });
      for (const res of [anonymous, withToken]) {
        expect(res.status).toBe(400);
        expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
        expect(res.body.errors[0].message).toMatch(message);
      }
    }
  });

  test('an unknown dimension', async () => {
    const res = await kb.graphql(`{ outcomeFigures(groupBy: [UNIT]) { total } }`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
