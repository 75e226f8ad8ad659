/** The pure core of direct reads: what a selection plans, what it declines, and Strapi's page arithmetic. */
import { parse, type OperationDefinitionNode, type FragmentDefinitionNode } from 'graphql';
import { Declined, pageInfo, planRecords, readParams, shapeRecords } from '../../src/public-api/direct-reads/core';
import { buildAllowList } from '../../src/public-api/public-access/allow-list';
import type { Model } from '../../src/content/model/core';

const models: Model[] = [
  {
    uid: 'api::practice.practice',
    attributes: {
      title: { type: 'string' },
      note: { type: 'text', private: true },
      themes: { type: 'relation', relation: 'manyToMany', target: 'api::theme.theme' },
      source: { type: 'component', component: 'shared.source' },
      localizations: { type: 'relation', relation: 'oneToMany', target: 'api::practice.practice' },
    },
  },
  { uid: 'api::theme.theme', attributes: { name: { type: 'string' } } },
  { uid: 'shared.source', modelType: 'component', attributes: { url: { type: 'string' } } },
];
const getModel = (uid: string) => models.find((model) => model.uid === uid)!;
const allowList = buildAllowList(models);

function plan(query: string) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((f) => [f.name.value, f]),
  );
  const root = operation.selectionSet.selections[0] as any;
  return planRecords([root.selectionSet], getModel('api::practice.practice'), { fragments, getModel, allowList });
}

test('fields and populate from the selection, through fragments, aliases and connections', () => {
  const planned = plan(`fragment S on Source { url } { practices {
    documentId title t: title __typename source { ...S id } ... on Practice { themes { name } } themes_connection { nodes { documentId } } } }`);
  expect(planned.fields).toEqual(['documentId', 'title']);
  expect(planned.connections).toEqual(['themes']);
  expect(readParams(planned)).toEqual({
    fields: ['documentId', 'title'],
    populate: { source: { fields: ['url', 'id'] }, themes: { fields: ['name', 'documentId'] } },
  });
});

test.each([
  ['a relation with arguments', `{ practices { themes(filters: {}) { name } } }`],
  ['a connection with arguments', `{ practices { themes_connection(sort: "name") { nodes { name } } } }`],
  ['a field that is not an attribute', `{ practices { jsonLd } }`],
  ['a private attribute', `{ practices { note } }`],
  ['localizations', `{ practices { localizations { title } } }`],
])('declines %s', (_name, query) => {
  expect(() => plan(query)).toThrow(Declined);
});

test('lists cut to the default page at every level, connections as { nodes }', () => {
  const planned = plan(`{ practices { themes { name } themes_connection { nodes { name } } } }`);
  const record: Record<string, unknown> = { themes: Array.from({ length: 30 }, (_, n) => ({ name: `t${n}` })) };
  shapeRecords(record, planned, getModel('api::practice.practice'), getModel, 25);
  expect(record.themes).toHaveLength(25);
  expect((record.themes_connection as { nodes: unknown[] }).nodes).toBe(record.themes);
});

test("Strapi's pageInfo: pages from start and limit, limit -1 as one page", () => {
  expect(pageInfo(51, 25, 25)).toEqual({ total: 51, page: 2, pageSize: 25, pageCount: 3 });
  expect(pageInfo(0, 0, 10)).toEqual({ total: 0, page: 1, pageSize: 10, pageCount: 0 });
  expect(pageInfo(7, 2, -1)).toEqual({ total: 7, page: 1, pageSize: 5, pageCount: 1 });
});
