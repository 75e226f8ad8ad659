/**
 * The public GraphQL schema is a contract: the live schema must be exactly the committed
 * schema.graphql, and a breaking change is named so that nobody ships one by accident.
 */
import fs from 'fs';
import path from 'path';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

const { INTROSPECTION_QUERY, contractFromIntrospection, compareContract } = require('../scripts/lib/schema-contract');

const committed = fs.readFileSync(path.resolve(__dirname, '../schema.graphql'), 'utf8');

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await startKnowledgeBase({ seed: false });
});
afterAll(async () => {
  await kb.stop();
});

test('the live schema is the committed schema.graphql, with no breaking change', async () => {
  const res = await kb.graphql(INTROSPECTION_QUERY);
  expect(res.status).toBe(200);
  const live = contractFromIntrospection(res.body.data);
  const { breaking, changed } = compareContract(committed, live);
  expect(breaking).toEqual([]);
  // Not breaking but different: the committed contract must still say what partners get.
  if (changed) throw new Error('The GraphQL schema changed: run `npm run schema:update` and commit schema.graphql with the change.');
});

test('a removed field or type is reported as breaking, an added one is not', () => {
  const removed = committed.replace(/^\s+nutsCode: String\n/m, '');
  expect(compareContract(committed, removed).breaking).toEqual(
    expect.arrayContaining([expect.stringMatching(/FIELD_REMOVED: Territory.nutsCode was removed/)]),
  );
  const added = committed.replace('type Territory {', 'type Territory {\n  population: Int');
  expect(compareContract(committed, added)).toEqual({ breaking: [], changed: true });
});

test('the contract keeps the field names partners rely on and leaves private ones out', () => {
  for (const field of ['title', 'slug', 'summary', 'value', 'nutsCode', 'fullName', 'startDate', 'endDate', 'locale']) {
    expect(committed).toMatch(new RegExp(`^\\s+${field}: `, 'm'));
  }
  const personType = committed.match(/^type Person \{[\s\S]*?^\}/m)![0];
  expect(personType).not.toMatch(/consentToPublish|email/);
  const practiceType = committed.match(/^type GoodPractice \{[\s\S]*?^\}/m)![0];
  expect(practiceType).not.toMatch(/curationStatus|reviewerNote/);
});
