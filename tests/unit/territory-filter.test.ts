/** The territory filter's pure core: the `within` rewrite and the fields it applies to. */
import { withComponents, type Model } from '../../src/content/model/core';
import { expandWithin, filteredFields, withinConditions } from '../../src/public-api/territory-filter/core';

describe('within', () => {
  const within = (slug: string) => ({ or: withinConditions(slug, 4) });

  test('one condition per level of the hierarchy', () => {
    const slug = { eq: 'basilicata', notNull: true };
    expect(withinConditions('basilicata', 4)).toEqual([
      { slug },
      { parent: { slug } },
      { parent: { parent: { slug } } },
      { parent: { parent: { parent: { slug } } } },
    ]);
  });

  test('replaces within, keeping the other conditions', () => {
    expect(expandWithin({ within: 'basilicata', level: { eq: 'province' } }, 4)).toEqual({
      level: { eq: 'province' },
      ...within('basilicata'),
    });
  });

  test('an existing or and the territory condition must both hold', () => {
    const or = [{ level: { eq: 'province' } }, { level: { eq: 'municipality' } }];
    expect(expandWithin({ within: 'basilicata', or }, 4)).toEqual({ and: [{ or }, within('basilicata')] });
    expect(expandWithin({ within: 'basilicata', or, and: [{ nutsCode: { eq: 'ITF51' } }] }, 4)).toEqual({
      and: [{ nutsCode: { eq: 'ITF51' } }, { or }, within('basilicata')],
    });
  });

  test('anywhere: nested relations, and / or / not, lists', () => {
    expect(
      expandWithin(
        {
          territories: { within: 'potenza' },
          or: [{ territory: { within: 'basilicata' } }, { slug: { eq: 'x' } }],
          not: { organizers: { territory: { parent: { within: 'basilicata' } } } },
        },
        2,
      ),
    ).toEqual({
      territories: { or: withinConditions('potenza', 2) },
      or: [{ territory: { or: withinConditions('basilicata', 2) } }, { slug: { eq: 'x' } }],
      not: { organizers: { territory: { parent: { or: withinConditions('basilicata', 2) } } } },
    });
  });

  test('a null within asks for nothing; filters without within are unchanged', () => {
    expect(expandWithin({ within: null, slug: { eq: 'x' } }, 4)).toEqual({ slug: { eq: 'x' } });
    const date = new Date('2022-09-26');
    const filters = { startDate: { gte: date }, slug: { in: ['a', 'b'] } };
    expect(expandWithin(filters, 4)).toEqual(filters);
    expect((expandWithin(filters, 4) as any).startDate.gte).toBe(date);
    expect(expandWithin(undefined, 4)).toBeUndefined();
  });

  test('does not change what it was given', () => {
    const filters = { territories: { within: 'potenza' } };
    expandWithin(filters, 4);
    expect(filters).toEqual({ territories: { within: 'potenza' } });
  });
});

describe('fields that take filters', () => {
  const models: Record<string, Model> = {
    'api::project.project': {
      uid: 'api::project.project',
      modelType: 'contentType',
      kind: 'collectionType',
      attributes: {
        title: { type: 'string' },
        goodPractices: { type: 'relation', relation: 'oneToMany', target: 'api::good-practice.good-practice' },
        coordinator: { type: 'relation', relation: 'manyToOne', target: 'api::person.person' },
        related: { type: 'relation', relation: 'morphToMany' },
        partners: { type: 'component', component: 'project.partner', repeatable: true },
        funding: { type: 'component', component: 'project.funding' },
      },
    },
    'project.partner': {
      uid: 'project.partner',
      modelType: 'component',
      attributes: {
        organization: { type: 'relation', relation: 'manyToOne', target: 'api::organization.organization' },
        detail: { type: 'component', component: 'shared.note' },
      },
    },
    'project.funding': {
      uid: 'project.funding',
      modelType: 'component',
      attributes: { people: { type: 'relation', relation: 'manyToMany', target: 'api::person.person' } },
    },
    'shared.note': { uid: 'shared.note', modelType: 'component', attributes: {} },
  };
  const naming = {
    objectType: (m: Model) => (m.modelType === 'component' ? `Component_${m.uid}` : 'Project'),
    findQuery: () => 'projects',
    findConnectionQuery: () => 'projects_connection',
  };

  test('the given types and every component they use, however nested', () => {
    const reached = withComponents([models['api::project.project']], (uid) => models[uid]);
    expect(reached.map((m) => m.uid).sort()).toEqual(['api::project.project', 'project.funding', 'project.partner', 'shared.note']);
  });

  test('collection queries, to-many relations (not morph ones) and repeatable components', () => {
    const reached = withComponents([models['api::project.project']], (uid) => models[uid]);
    expect(filteredFields(reached, naming).sort()).toEqual([
      'Component_project.funding.people',
      'Component_project.funding.people_connection',
      'Project.goodPractices',
      'Project.goodPractices_connection',
      'Project.partners',
      'Query.projects',
      'Query.projects_connection',
    ]);
  });
});
