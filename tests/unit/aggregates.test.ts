/** The dashboard's pure core: outcome figures, theme counts, the locale they are computed in. */
import { figuresLocale, outcomeFigures, themeCounts, weakestQualifier, type OutcomeRecord } from '../../src/public-api/aggregates/core';

const project = (slug: string) => ({ documentId: `p-${slug}`, slug });
const territory = (slug: string) => ({ documentId: `t-${slug}`, slug });
const outcome = (slug: string, fields: Partial<OutcomeRecord>): OutcomeRecord => ({
  slug,
  value: 1,
  qualifier: 'exact',
  unit: 'people',
  indicatorType: 'output',
  indicatorCode: null,
  project: project('a'),
  territory: null,
  ...fields,
});

describe('outcome figures', () => {
  const outcomes = [
    outcome('meetings', { value: 14, unit: 'training meetings', territory: territory('basilicata') }),
    outcome('people-a', { value: 110, unit: 'people', qualifier: 'at_least', territory: territory('basilicata') }),
    outcome('operators', { value: 50, unit: 'public operators', territory: territory('potenza') }),
    outcome('people-b', { value: '20.5', unit: 'people', project: project('b'), territory: territory('potenza') }),
    outcome('network', { value: 55, unit: 'bodies', indicatorType: 'result', indicatorCode: 'R1' }),
  ];

  test('values of different units never add up, even with no grouping', () => {
    const figures = outcomeFigures(outcomes, []);
    expect(figures.map((f) => [f.unit, f.total, f.count])).toEqual([
      ['bodies', 55, 1],
      ['people', 130.5, 2],
      ['public operators', 50, 1],
      ['training meetings', 14, 1],
    ]);
    expect(figures.every((f) => f.project === null && f.territory === null && f.indicatorType === null && f.indicatorCode === null)).toBe(
      true,
    );
  });

  test('grouped by project: sorted by project slug, then unit; outcomes by slug', () => {
    const figures = outcomeFigures(outcomes, ['project']);
    expect(figures.map((f) => [f.project?.slug, f.unit, f.total])).toEqual([
      ['a', 'bodies', 55],
      ['a', 'people', 110],
      ['a', 'public operators', 50],
      ['a', 'training meetings', 14],
      ['b', 'people', 20.5],
    ]);
    expect(figures[1].outcomes.map((o) => o.slug)).toEqual(['people-a']);
    expect(figures[0].project).toBe(outcomes[4].project); // the loaded object itself, for GraphQL to resolve
  });

  test('sorted by the dimensions in the order asked; a missing value comes last', () => {
    const byTerritory = outcomeFigures(outcomes, ['territory', 'project']);
    expect(byTerritory.map((f) => [f.territory?.slug ?? null, f.project?.slug, f.unit])).toEqual([
      ['basilicata', 'a', 'people'],
      ['basilicata', 'a', 'training meetings'],
      ['potenza', 'a', 'public operators'],
      ['potenza', 'b', 'people'],
      [null, 'a', 'bodies'],
    ]);
    expect(outcomeFigures(outcomes, ['project', 'territory']).map((f) => f.project?.slug)).toEqual(['a', 'a', 'a', 'a', 'b']);
  });

  test('indicator type and code', () => {
    const figures = outcomeFigures(outcomes, ['indicatorCode', 'indicatorType', 'indicatorType']);
    expect(figures[0]).toMatchObject({ indicatorCode: 'R1', indicatorType: 'result', unit: 'bodies', total: 55 });
    expect(figures.slice(1).map((f) => [f.indicatorCode, f.indicatorType, f.unit, f.total])).toEqual([
      [null, 'output', 'people', 130.5],
      [null, 'output', 'public operators', 50],
      [null, 'output', 'training meetings', 14],
    ]);
  });

  test('decimals arrive as strings on PostgreSQL; sums carry no float noise', () => {
    const figures = outcomeFigures([outcome('x', { value: '0.1' }), outcome('y', { value: 0.2 })], []);
    expect(figures[0].total).toBe(0.3);
  });

  test('nothing to sum, no figures', () => {
    expect(outcomeFigures([], ['project'])).toEqual([]);
  });
});

describe('qualifier of a sum', () => {
  test.each([
    [['exact', 'exact'], 'exact'],
    [['exact', 'at_least'], 'at_least'],
    [['at_least', 'approx'], 'approx'],
    [['exact', 'approx'], 'approx'],
  ] as const)('%j -> %s', (qualifiers, expected) => {
    expect(weakestQualifier([...qualifiers])).toBe(expected);
  });
});

describe('theme counts', () => {
  const theme = (slug: string) => ({ documentId: `th-${slug}`, slug });

  test('every theme, with zero counts too, most used first then by slug', () => {
    const counts = themeCounts([theme('c'), theme('b'), theme('a'), theme('unused')], {
      goodPractices: { 'th-a': 2, 'th-b': 1 },
      trainings: {},
      thematicTables: { 'th-b': 1 },
      events: { 'th-c': 1 },
      outcomes: { 'th-a': 1, 'th-c': 1 },
    });
    expect(counts.map((c) => [c.theme.slug, c.goodPractices, c.trainings, c.thematicTables, c.events, c.outcomes, c.total])).toEqual([
      ['a', 2, 0, 0, 0, 1, 3],
      ['b', 1, 0, 1, 0, 0, 2],
      ['c', 0, 0, 0, 1, 1, 2],
      ['unused', 0, 0, 0, 0, 0, 0],
    ]);
  });
});

describe('locale of the figures', () => {
  const locales = ['it', 'en'];
  test('the default locale when none is asked', () => {
    expect(figuresLocale(undefined, locales)).toEqual({ locale: 'it' });
    expect(figuresLocale(null, locales)).toEqual({ locale: 'it' });
    expect(figuresLocale('en', locales)).toEqual({ locale: 'en' });
  });
  test('an unknown locale, or all of them, is refused with the locales available', () => {
    expect(figuresLocale('fr', locales)).toEqual({ problem: expect.stringMatching(/Unknown locale "fr".*it, en/) });
    expect(figuresLocale('*', locales)).toEqual({ problem: expect.stringMatching(/one locale at a time/) });
  });
});
