/**
 * "Within a territory": a region's filter also finds what is recorded in its provinces, on every
 * list (queries, relations, repeatable components), in every locale, combined with other filters.
 */
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

let kb: KnowledgeBase;
const POTENZA_PRACTICE = 'sportello-migranti-potenza';
const POTENZA_TRAINING = 'incontro-formativo-potenza';
const SEED_PRACTICES = [
  'forum-regionale-sui-fenomeni-migratori',
  'incontri-formativi-nei-territori',
  'poli-sociali-formazione-individuale-e-personalizzata',
  'rete-di-governance-pubblico-privata',
];

/** Creates a document in Italian and English, linked as given, and publishes it. */
async function publishBilingual(uid: string, data: Record<string, unknown>, titles: { it: string; en: string }) {
  const documents = kb.strapi.documents(uid as any);
  const source = { title: 'Test record' };
  const created = await documents.create({ locale: 'it', data: { ...data, title: titles.it, source } } as any);
  await documents.update({ documentId: created.documentId, locale: 'en', data: { ...data, title: titles.en, source } } as any);
  await documents.publish({ documentId: created.documentId, locale: '*' });
}

const documentIdOf = async (uid: string, slug: string) =>
  (await kb.strapi.documents(uid as any).findFirst({ filters: { slug }, status: 'published' } as any))!.documentId;

beforeAll(async () => {
  kb = await startKnowledgeBase();
  const potenza = await documentIdOf('api::territory.territory', 'potenza');
  const project = await documentIdOf('api::project.project', 'com-in-4-0');
  await publishBilingual(
    'api::good-practice.good-practice',
    {
      slug: POTENZA_PRACTICE,
      summary: 'A practice of the province of Potenza only.',
      implementationStatus: 'planned',
      curationStatus: 'validated',
      territories: [potenza],
      project,
    },
    { it: 'Sportello migranti di Potenza', en: 'Potenza migrant desk' },
  );
  await publishBilingual(
    'api::training.training',
    { slug: POTENZA_TRAINING, startDate: '2022-05-10', territory: potenza, project },
    { it: 'Incontro formativo a Potenza', en: 'Training meeting in Potenza' },
  );
});
afterAll(async () => {
  await kb.stop();
});

const query = (q: string, variables?: Record<string, unknown>) => kb.data(q, variables);
const slugs = (items: { slug: string }[]) => items.map((i) => i.slug).sort();

const practicesWithin = `query($within: String, $locale: I18NLocaleCode) {
  goodPractices(locale: $locale, filters: { territories: { within: $within } }, pagination: { pageSize: 100 }) { slug locale }
}`;

describe.each(['it', 'en'])('good practices by territory, locale %s', (locale) => {
  test('a region includes its provinces', async () => {
    const { goodPractices } = await query(practicesWithin, { within: 'basilicata', locale });
    expect(slugs(goodPractices)).toEqual([...SEED_PRACTICES, POTENZA_PRACTICE].sort());
    expect(goodPractices.every((p: any) => p.locale === locale)).toBe(true);
  });

  test('a province does not include its region', async () => {
    const { goodPractices } = await query(practicesWithin, { within: 'potenza', locale });
    expect(slugs(goodPractices)).toEqual([POTENZA_PRACTICE]);
  });
});

test('an unknown territory finds nothing (and no within finds everything)', async () => {
  expect((await query(practicesWithin, { within: 'matera' })).goodPractices).toEqual([]);
  expect((await query(practicesWithin, { within: null })).goodPractices).toHaveLength(5);
});

test('combined with other filters, and inside or / and / not', async () => {
  const data = await query(`{
    concluded: goodPractices(filters: { territories: { within: "basilicata" }, implementationStatus: { eq: "concluded" } }) { slug }
    planned: goodPractices(filters: { territories: { within: "basilicata" }, implementationStatus: { eq: "planned" } }) { slug }
    either: goodPractices(filters: { or: [{ territories: { within: "potenza" } }, { slug: { eq: "rete-di-governance-pubblico-privata" } }] }) { slug }
    both: goodPractices(filters: { and: [{ territories: { within: "basilicata" } }, { territories: { within: "potenza" } }] }) { slug }
    outside: goodPractices(filters: { not: { territories: { within: "potenza" } } }) { slug }
  }`);
  expect(slugs(data.concluded)).toEqual(['incontri-formativi-nei-territori']);
  expect(slugs(data.planned)).toEqual([POTENZA_PRACTICE]);
  expect(slugs(data.either)).toEqual(['rete-di-governance-pubblico-privata', POTENZA_PRACTICE]);
  expect(slugs(data.both)).toEqual([POTENZA_PRACTICE]);
  expect(slugs(data.outside)).toEqual(SEED_PRACTICES);
});

test("within and the territory filter's own or both hold", async () => {
  const { territories } = await query(`{
    territories(filters: { within: "basilicata", or: [{ level: { eq: "province" } }, { level: { eq: "municipality" } }] }) { slug }
  }`);
  expect(slugs(territories)).toEqual(['comune-di-potenza', 'potenza']);
});

test('territories within a territory, and by their parent', async () => {
  const data = await query(`{
    region: territories(filters: { within: "basilicata" }) { slug }
    province: territories(filters: { within: "potenza" }) { slug }
    below: territories(filters: { parent: { within: "basilicata" } }) { slug }
  }`);
  expect(slugs(data.region)).toEqual(['basilicata', 'comune-di-potenza', 'potenza']);
  expect(slugs(data.province)).toEqual(['comune-di-potenza', 'potenza']);
  expect(slugs(data.below)).toEqual(['comune-di-potenza', 'potenza']);
});

test('connection queries, relation fields and repeatable components', async () => {
  const data = await query(`{
    goodPractices_connection(filters: { territories: { within: "potenza" } }) { nodes { slug } pageInfo { total } }
    projects {
      goodPractices(filters: { territories: { within: "potenza" } }) { slug }
      goodPractices_connection(filters: { territories: { within: "basilicata" } }) { nodes { slug } }
      partners(filters: { organization: { territory: { within: "basilicata" } } }) { organization { slug } }
    }
  }`);
  expect(data.goodPractices_connection).toEqual({ nodes: [{ slug: POTENZA_PRACTICE }], pageInfo: { total: 1 } });
  const [project] = data.projects;
  expect(project.goodPractices).toEqual([{ slug: POTENZA_PRACTICE }]);
  expect(project.goodPractices_connection.nodes).toHaveLength(5);
  expect(project.partners).toEqual([{ organization: { slug: 'regione-basilicata' } }]);
});

test('trainings and events by territory (a to-one territory)', async () => {
  const data = await query(`{
    trainings(filters: { territory: { within: "basilicata" } }) { slug }
    events(filters: { territory: { within: "basilicata" } }) { slug }
    eventsInPotenza: events(filters: { territory: { within: "potenza" } }) { slug }
    eventsElsewhere: events(filters: { territory: { within: "matera" } }) { slug }
  }`);
  expect(slugs(data.trainings)).toEqual([POTENZA_TRAINING]);
  expect(slugs(data.events)).toEqual(['final-workshop-potenza']);
  expect(slugs(data.eventsInPotenza)).toEqual(['final-workshop-potenza']);
  expect(data.eventsElsewhere).toEqual([]);
});

test('within is a string: other types are refused with a 400', async () => {
  const res = await kb.graphql(`{ goodPractices(filters: { territories: { within: { eq: "basilicata" } } }) { slug } }`);
  expect(res.status).toBe(400);
  expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
});
