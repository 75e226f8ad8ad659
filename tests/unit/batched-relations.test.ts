import { parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import type { Model } from '../../src/content/model/core';
import { markLoaded, nodesSelection, populateFor, preloadPlan } from '../../src/public-api/batched-relations/core';

const models: Record<string, Model> = {
  practice: {
    uid: 'practice',
    options: { draftAndPublish: true },
    attributes: {
      title: { type: 'string' },
      themes: { type: 'relation', relation: 'manyToMany', target: 'theme' },
      lead: { type: 'relation', relation: 'manyToOne', target: 'organization' },
      source: { type: 'component', component: 'source' },
      attachments: { type: 'media', multiple: true },
      localizations: { type: 'relation', relation: 'oneToMany', target: 'practice' },
      related: { type: 'relation', relation: 'morphToMany' },
    },
  },
  theme: {
    uid: 'theme',
    options: { draftAndPublish: true },
    attributes: {
      parent: { type: 'relation', relation: 'manyToOne', target: 'theme' },
      practices: { type: 'relation', relation: 'manyToMany', target: 'practice', mappedBy: 'themes' },
    },
  },
  organization: {
    uid: 'organization',
    options: { draftAndPublish: true },
    attributes: { territory: { type: 'relation', relation: 'manyToOne', target: 'territory' } },
  },
  territory: { uid: 'territory', options: { draftAndPublish: true }, attributes: {} },
  source: { uid: 'source', attributes: { by: { type: 'relation', relation: 'manyToOne', target: 'organization' } } },
  'plugin::upload.file': { uid: 'plugin::upload.file', attributes: {} },
};
const getModel = (uid: string) => models[uid];

function planOf(query: string, connection = false) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((d) => [d.name.value, d]),
  );
  const root = (operation.selectionSet.selections[0] as any).selectionSet;
  return preloadPlan(connection ? nodesSelection(root, fragments) : root, models.practice, getModel, fragments);
}

describe('batched relations core', () => {
  test('plans what the selection asks for, through fragments, aliases and connections', () => {
    const plan = planOf(`
      fragment T on Theme { parent { title } }
      { practices { title themes { ...T } other: lead { territory { id } } source { by { id } } attachments { url } ... on Practice { themes_connection { nodes { id } } } } }`);
    expect(plan).toEqual({ themes: { parent: {} }, lead: { territory: {} }, source: { by: {} }, attachments: {} });
    expect(planOf('{ practices_connection { nodes { lead { id } } pageInfo { total } } }', true)).toEqual({ lead: {} });
  });

  test("leaves to Strapi's resolvers what takes arguments, inverse and polymorphic relations, and localizations", () => {
    expect(planOf('{ practices { themes(filters: { id: { eq: 1 } }) { id } localizations { id } related { id } lead { id } } }')).toEqual({
      lead: {},
    });
    const themes = (parse('{ themes { practices { id } parent { id } } }').definitions[0] as any).selectionSet.selections[0].selectionSet;
    const inverse = preloadPlan(themes, models.theme, getModel, {});
    expect(inverse).toEqual({ parent: {} });
  });

  test('populates published targets only when reading published records; components and media as they are', () => {
    const plan = { themes: { parent: {} }, source: { by: {} }, attachments: {} };
    expect(populateFor(plan, models.practice, getModel, true)).toEqual({
      themes: { filters: { publishedAt: { $notNull: true } }, populate: { parent: { filters: { publishedAt: { $notNull: true } } } } },
      source: { populate: { by: { filters: { publishedAt: { $notNull: true } } } } },
      attachments: true,
    });
    expect(populateFor({ themes: {} }, models.practice, getModel, false)).toEqual({ themes: true });
  });

  test('marks every loaded record down the plan', () => {
    const theme = { id: 2, parent: null };
    const record = { id: 1, themes: [theme], lead: { id: 3, territory: { id: 4 } } };
    const marked = new Map<object, string[]>();
    markLoaded([record], { themes: { parent: {} }, lead: {} }, (r, a) => marked.set(r, a));
    expect(marked.get(record)).toEqual(['themes', 'lead']);
    expect(marked.get(theme)).toEqual(['parent']);
    expect(marked.has(record.lead)).toBe(false);
  });
});
