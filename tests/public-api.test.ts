/**
 * What a partner website sees: every public type over anonymous GraphQL, with its relations,
 * in Italian and English, and the facts of the article.
 */
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await startKnowledgeBase();
});
afterAll(async () => {
  await kb.stop();
});

const query = (q: string, variables?: Record<string, unknown>) => kb.data(q, variables);

const bySlug = <T extends { slug: string }>(items: T[], slug: string) => {
  const item = items.find((i) => i.slug === slug);
  if (!item) throw new Error(`no ${slug} in ${items.map((i) => i.slug).join(', ')}`);
  return item;
};

describe.each(['it', 'en'])('every public type with its relations, locale %s', (locale) => {
  test('projects with funding, partners, coordinator, territories and inverse relations', async () => {
    const { projects } = await query(
      `query($locale: I18NLocaleCode) { projects(locale: $locale) { slug acronym title locale
        funding { fund specificObjective nationalObjective action call }
        partners { role organization { name } } coordinator { fullName } territories { nutsCode }
        goodPractices { slug } outcomes { slug } events { slug } source { title note } license } }`,
      { locale },
    );
    expect(projects).toHaveLength(1);
    const [project] = projects;
    expect(project).toMatchObject({
      slug: 'com-in-4-0',
      acronym: 'Com.In.4.0',
      locale,
      license: 'CC-BY-4.0',
      coordinator: { fullName: 'Elvira Locantore' },
    });
    expect(project.partners.map((p: any) => p.organization.name).sort()).toEqual(['Consorzio NOVA', 'Regione Basilicata']);
    expect(project.territories).toEqual([{ nutsCode: 'ITF5' }]);
    expect(project.goodPractices).toHaveLength(4);
    expect(project.outcomes).toHaveLength(4);
    expect(project.events).toEqual([{ slug: 'final-workshop-potenza' }]);
    expect(project.source.title).toBeTruthy();
  });

  test('good practices with themes, territories, project, outcomes and thematic tables', async () => {
    const { goodPractices } = await query(
      `query($locale: I18NLocaleCode) { goodPractices(locale: $locale, sort: "slug") { slug title summary implementationStatus
        targetGroups { group } themes { slug name } territories { slug } project { slug } outcomes { value } thematicTables { slug }
        source { title note } license } }`,
      { locale },
    );
    expect(goodPractices.map((p: any) => p.slug)).toEqual([
      'forum-regionale-sui-fenomeni-migratori',
      'incontri-formativi-nei-territori',
      'poli-sociali-formazione-individuale-e-personalizzata',
      'rete-di-governance-pubblico-privata',
    ]);
    // The 50 public-service staff and the 110 people are the project's totals, not the meetings'.
    const meetings = bySlug(goodPractices, 'incontri-formativi-nei-territori');
    expect(meetings.outcomes.map((o: any) => o.value)).toEqual([14]);
    expect(meetings.targetGroups).toEqual([]);
    expect(bySlug(goodPractices, 'forum-regionale-sui-fenomeni-migratori').thematicTables).toEqual([
      { slug: 'forum-regionale-sui-fenomeni-migratori' },
    ]);
    for (const p of goodPractices) {
      expect(p.project).toEqual({ slug: 'com-in-4-0' });
      expect(p.territories).toEqual([{ slug: 'basilicata' }]);
      expect(p.summary.length).toBeLessThanOrEqual(600);
      expect(p.license).toBe('CC-BY-4.0');
      expect(p.source.note).toBeTruthy();
    }
  });

  test('the Final Workshop with venue, agenda, speakers, thematic tables and territory', async () => {
    const { events } = await query(
      `query($locale: I18NLocaleCode) { events(locale: $locale, filters: { slug: { eq: "final-workshop-potenza" } }, pagination: { pageSize: 1 }) { slug title type startDate venue { name address city }
        agenda { time kind title speakers { fullName affiliations { jobTitle organization { name } } } thematicTable { slug } }
        thematicTables(sort: "order") { slug order } themes { slug } territory { nutsCode parent { nutsCode } } project { slug } source { note } inferences { field basis } } }`,
      { locale },
    );
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      slug: 'final-workshop-potenza',
      type: 'final_workshop',
      startDate: '2022-09-26T07:00:00.000Z',
      venue: { name: 'GoDesk', address: 'Via della Tecnica 18', city: 'Potenza' },
      territory: { nutsCode: null, parent: { nutsCode: 'ITF51' } },
      project: { slug: 'com-in-4-0' },
    });
    expect(event.inferences).toEqual([
      { field: 'startDate', basis: expect.stringMatching(locale === 'it' ? /registrato il 2022/ : /recorded 2022/) },
    ]);
    expect(event.agenda[0]).toMatchObject({ time: '09:00:00.000', kind: 'registration' });
    const speakers = event.agenda.flatMap((item: any) => item.speakers.map((s: any) => s.fullName));
    expect(speakers).toEqual(['Michele Busciolano', 'Elvira Locantore', 'Giovanni Casaletto', 'Gianpietro Losapio']);
    const busciolano = event.agenda[1].speakers[0];
    expect(busciolano.affiliations[0].organization.name).toBe('Regione Basilicata');
    expect(busciolano.affiliations[0].jobTitle).toBe(locale === 'it' ? 'Capo di Gabinetto' : 'Chief of Staff (Capo di Gabinetto)');
    expect(event.agenda.filter((i: any) => i.kind === 'thematic_tables').map((i: any) => i.thematicTable.slug)).toEqual(
      event.thematicTables.map((t: any) => t.slug),
    );
    expect(event.thematicTables.map((t: any) => t.order)).toEqual([1, 2, 3, 4]);
    expect(event.agenda.map((i: any) => i.kind)).toEqual([
      'registration',
      'welcome',
      'introduction',
      'talk',
      'thematic_tables',
      'thematic_tables',
      'thematic_tables',
      'thematic_tables',
      'plenary',
      'debate',
      'conclusions',
    ]);
  });

  test('thematic tables, outcomes, organizations, people, territories and themes', async () => {
    const data = await query(
      `query($locale: I18NLocaleCode) {
        thematicTables(locale: $locale, sort: "order") { slug title scope order event { slug } themes { slug } goodPractices { slug } }
        outcomes(locale: $locale, sort: "value") { slug title value qualifier indicatorType unit project { slug } goodPractices { slug } }
        organizations(locale: $locale, sort: "slug") { slug name type description territory { slug } }
        people(locale: $locale, sort: "slug") { slug fullName bio affiliations { jobTitle } }
        territories(locale: $locale, sort: "slug") { slug name level nutsCode istatCode parent { slug } children { slug } }
        themes(locale: $locale, sort: "slug") { slug name goodPractices { slug } thematicTables { slug } }
      }`,
      { locale },
    );
    expect(data.thematicTables).toHaveLength(4);
    for (const t of data.thematicTables) expect(t.event).toEqual({ slug: 'final-workshop-potenza' });
    expect(bySlug(data.thematicTables, 'formazione-e-competenze-dei-migranti').goodPractices).toEqual([
      { slug: 'poli-sociali-formazione-individuale-e-personalizzata' },
    ]);
    expect(data.outcomes.map((o: any) => [o.value, o.qualifier])).toEqual([
      [14, 'exact'],
      [50, 'exact'],
      [55, 'exact'],
      [110, 'at_least'],
    ]);
    expect(bySlug(data.outcomes, 'rete-di-governance').goodPractices).toEqual([{ slug: 'rete-di-governance-pubblico-privata' }]);
    expect(data.organizations.map((o: any) => o.name)).toEqual(['Consorzio NOVA', 'Regione Basilicata']);
    expect(bySlug(data.organizations, 'regione-basilicata').territory).toEqual({ slug: 'basilicata' });
    expect(data.people.map((p: any) => p.fullName)).toEqual([
      'Elvira Locantore',
      'Gianpietro Losapio',
      'Giovanni Casaletto',
      'Michele Busciolano',
    ]);
    expect(bySlug(data.territories, 'basilicata')).toMatchObject({ level: 'region', nutsCode: 'ITF5', children: [{ slug: 'potenza' }] });
    expect(bySlug(data.territories, 'potenza')).toMatchObject({
      level: 'province',
      nutsCode: 'ITF51',
      parent: { slug: 'basilicata' },
      children: [{ slug: 'comune-di-potenza' }],
    });
    expect(bySlug(data.territories, 'comune-di-potenza')).toMatchObject({ level: 'municipality', nutsCode: null, istatCode: '076063' });
    expect(data.themes).toHaveLength(7);
    expect(bySlug(data.themes, 'governance-dei-servizi').goodPractices).toEqual([{ slug: 'rete-di-governance-pubblico-privata' }]);
    expect(bySlug(data.themes, 'abitare-i-territori').thematicTables).toEqual([{ slug: 'abitare-i-territori' }]);
  });
});

test('the same record reads in Italian and in English', async () => {
  const q = `query($locale: I18NLocaleCode) { thematicTables(locale: $locale, filters: { slug: { eq: "abitare-i-territori" } }) { title scope locale } }`;
  const it = (await query(q, { locale: 'it' })).thematicTables[0];
  const en = (await query(q, { locale: 'en' })).thematicTables[0];
  expect(it).toMatchObject({ title: 'Abitare i territori', locale: 'it' });
  expect(it.scope).toMatch(/integrando, a loro volta, i servizi territoriali/);
  expect(en).toMatchObject({ title: 'Living in local areas', locale: 'en' });
  expect(en.scope).toMatch(/integrating local services in turn/);
});

test('Italian is the default locale', async () => {
  const { project } = await query(`{ projects { title locale } }`).then((d) => ({ project: d.projects[0] }));
  expect(project).toEqual({ title: "Com.In.4.0 – Competenze per l'integrazione", locale: 'it' });
});

test("the project's funding line is the article's", async () => {
  const { projects } = await query(`{ projects { funding { fund specificObjective nationalObjective action call } } }`);
  expect(projects[0].funding).toEqual({
    fund: 'Fondo Asilo, Migrazione e Integrazione (FAMI) 2014-2020',
    specificObjective: 'Obiettivo Specifico 2. Integrazione / Migrazione legale',
    nationalObjective: 'Obiettivo nazionale ON 3 – Capacity building',
    action: 'lett. j) Governance dei servizi',
    call: 'Capacity building 2018',
  });
});

test('lookup by slug and pagination with defaults', async () => {
  const { goodPractices } = await query(`{ goodPractices(filters: { slug: { eq: "rete-di-governance-pubblico-privata" } }) { title } }`);
  expect(goodPractices).toEqual([{ title: 'Rete di governance pubblico/privata' }]);
  const page = await query(
    `{ themes_connection(pagination: { page: 2, pageSize: 3 }) { nodes { slug } pageInfo { total page pageSize pageCount } } }`,
  );
  expect(page.themes_connection.pageInfo).toEqual({ total: 7, page: 2, pageSize: 3, pageCount: 3 });
  expect(page.themes_connection.nodes).toHaveLength(3);
});

test('REST reads the same published knowledge', async () => {
  const res = await kb.http().get('/api/outcomes').query({ locale: 'en', sort: 'value', 'fields[0]': 'value', 'fields[1]': 'unit' });
  expect(res.status).toBe(200);
  expect(res.body.data.map((o: any) => [o.value, o.unit])).toEqual([
    [14, 'training meetings'],
    [50, 'public-service staff'],
    [55, 'institutions, associations and bodies'],
    [110, 'people'],
  ]);
});
