/**
 * A nested list (a relation or a repeatable component inside a record) sorted through a relation,
 * or filtered in a way Strapi cannot run, was an internal error in Strapi's loader; the
 * noninterference suite found both. They are 400s now, and sorting a nested list by its own
 * fields keeps working.
 */
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await startKnowledgeBase();
}, 300000);
afterAll(async () => {
  await kb?.stop();
});

test.each([
  ['{ goodPractices { thematicTables(sort: ["goodPractices.endDate:desc"]) { slug } } }', 'GoodPractice.thematicTables'],
  [
    '{ goodPractices { thematicTables_connection(sort: ["title", "event.startDate"]) { __typename } } }',
    'GoodPractice.thematicTables_connection',
  ],
  ['{ people { affiliations(sort: ["organization.updatedAt"]) { jobTitle } } }', 'Person.affiliations'],
])('%s is refused with a 400 naming the field', async (query, field) => {
  const res = await kb.graphql(query);
  expect(res.status).toBe(400);
  expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  expect(res.body.errors[0].message).toContain(`${field}: sort`);
  expect(res.body.errors.map((error: any) => error.extensions.code)).not.toContain('INTERNAL_SERVER_ERROR');
});

test('a nested list sorts by its own fields', async () => {
  const data = await kb.data(
    '{ events(filters: { slug: { eq: "final-workshop-potenza" } }) { thematicTables(sort: "title:desc") { title } } }',
  );
  const titles = data.events[0].thematicTables.map((table: any) => table.title);
  expect(titles.length).toBeGreaterThan(1);
  expect(titles).toEqual([...titles].sort((a: string, b: string) => b.localeCompare(a)));
});

test('a nested list filtered in a way Strapi cannot run is a 400, as a top-level list is', async () => {
  const res = await kb.graphql('{ projects { goodPractices(filters: { targetGroups: { group: { between: ["a"] } } }) { title } } }');
  expect(res.status).toBe(400);
  expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  expect(res.body.errors[0].message).toMatch(/between takes a list of two values/);
});
