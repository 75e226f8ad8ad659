/**
 * What a search engine or harvester sees: the `jsonLd` field of the public GraphQL types, asked
 * anonymously, in Italian and English; valid schema.org linked data; never a draft or a person
 * who has withdrawn consent.
 */
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';
import { expandJsonLd } from './helpers/linked-data';

const PUBLIC_URL = 'https://kb.example.org';
const CC_BY = 'https://creativecommons.org/licenses/by/4.0/';
const GP = 'api::good-practice.good-practice';

let kb: KnowledgeBase;
const published = async (uid: string, slug: string) =>
  (await kb.strapi.documents(uid as any).findFirst({ status: 'published', filters: { slug } } as any))!.documentId;

beforeAll(async () => {
  kb = await startKnowledgeBase({ env: { PUBLIC_URL } });
  // The article details none of the fourteen training meetings, so the seed has none: one made up here.
  const data = {
    slug: 'incontro-di-prova',
    startDate: '2021-03-10',
    mode: 'blended',
    venue: { name: 'Sala riunioni', city: 'Potenza' },
    participantsCount: 12,
    license: 'CC-BY-4.0',
    territory: await published('api::territory.territory', 'comune-di-potenza'),
    project: await published('api::project.project', 'com-in-4-0'),
    trainers: [await published('api::person.person', 'gianpietro-losapio')],
    organizers: [await published('api::organization.organization', 'consorzio-nova')],
  };
  const training = await kb.strapi.documents('api::training.training').create({
    locale: 'it',
    status: 'published',
    data: { ...data, title: 'Incontro di prova', audience: 'Operatori pubblici', source: { title: 'Registro degli incontri' } },
  } as any);
  await kb.strapi.documents('api::training.training').update({
    documentId: training.documentId,
    locale: 'en',
    status: 'published',
    data: { ...data, title: 'Trial meeting', audience: 'Public operators', source: { title: 'Register of the meetings' } },
  } as any);
});
afterAll(async () => {
  await kb.stop();
});

const query = (q: string, variables?: Record<string, unknown>) => kb.data(q, variables);

const iri = (plural: string, documentId: string, locale: string) => `${PUBLIC_URL}/api/${plural}/${documentId}?locale=${locale}`;

describe.each(['it', 'en'])('anonymous jsonLd, locale %s', (locale) => {
  test('good practices: CreativeWorks about their themes, covering Basilicata, with licence and source', async () => {
    const { goodPractices } = await query(
      `query($locale: I18NLocaleCode) { goodPractices(locale: $locale, sort: "slug") { documentId title themes { documentId name } jsonLd } }`,
      { locale },
    );
    expect(goodPractices).toHaveLength(4);
    for (const practice of goodPractices) {
      expect(practice.jsonLd).toMatchObject({
        '@context': 'https://schema.org',
        '@type': 'CreativeWork',
        '@id': iri('good-practices', practice.documentId, locale),
        name: practice.title,
        inLanguage: locale,
        license: CC_BY,
        isBasedOn: { '@type': 'CreativeWork', name: expect.stringContaining('Final Workshop') },
        spatialCoverage: [
          {
            '@type': 'AdministrativeArea',
            name: 'Basilicata',
            identifier: expect.arrayContaining([{ '@type': 'PropertyValue', propertyID: 'NUTS', value: 'ITF5' }]),
          },
        ],
        funding: { '@type': 'Grant', funder: { '@type': 'FundingScheme' } },
      });
      expect((practice.jsonLd.about ?? []).map((t: any) => [t['@type'], t['@id'], t.name])).toEqual(
        practice.themes.map((t: any) => ['DefinedTerm', iri('themes', t.documentId, locale), t.name]),
      );
      expect(practice.jsonLd.dateModified).toBeTruthy();
    }
  });

  test('the Final Workshop: venue, agenda as sub-events with the 09:00 start and speakers, thematic tables', async () => {
    const { events, thematicTables } = await query(
      `query($locale: I18NLocaleCode) {
        events(locale: $locale) { documentId jsonLd }
        thematicTables(locale: $locale, sort: "order") { documentId title jsonLd }
      }`,
      { locale },
    );
    const [event] = events;
    const { jsonLd } = event;
    expect(jsonLd).toMatchObject({
      '@type': 'Event',
      '@id': iri('events', event.documentId, locale),
      location: {
        '@type': 'Place',
        name: 'GoDesk',
        address: { '@type': 'PostalAddress', streetAddress: 'Via della Tecnica 18', addressLocality: 'Potenza' },
        containedInPlace: { name: 'Potenza', identifier: [{ propertyID: 'ISTAT', value: '076063' }] },
      },
      mainEntityOfPage: {
        '@type': 'CreativeWork',
        inLanguage: locale,
        license: CC_BY,
        // Why the year is the editors' (and therefore left out above).
        isBasedOn: { description: expect.stringMatching(/2022/) },
      },
    });
    // The year is inferred: neither the event nor its agenda is dated in JSON-LD.
    expect(jsonLd.startDate).toBeUndefined();
    expect(jsonLd.subEvent).toHaveLength(11);
    expect(jsonLd.subEvent.filter((item: any) => item.startDate)).toEqual([]);
    expect(jsonLd.subEvent.flatMap((item: any) => (item.performer ?? []).map((p: any) => p.name))).toEqual([
      'Michele Busciolano',
      'Elvira Locantore',
      'Giovanni Casaletto',
      'Gianpietro Losapio',
    ]);
    // The agenda's table sessions are the thematic tables: the same @id as their own jsonLd.
    const tableIds = thematicTables.map((t: any) => t.jsonLd['@id']);
    expect(jsonLd.subEvent.filter((item: any) => item['@id']).map((item: any) => item['@id'])).toEqual(tableIds);
    for (const table of thematicTables) {
      expect(table.jsonLd).toMatchObject({ '@type': 'Event', name: table.title, superEvent: { '@id': jsonLd['@id'] } });
    }
  });

  test('trainings: EducationEvents at their venue with trainers and organizers, no invented counts', async () => {
    const { trainings } = await query(`query($locale: I18NLocaleCode) { trainings(locale: $locale) { title jsonLd } }`, { locale });
    expect(trainings).toHaveLength(1);
    const [training] = trainings;
    expect(training.jsonLd).toMatchObject({
      '@type': 'EducationEvent',
      name: training.title,
      startDate: '2021-03-10',
      eventAttendanceMode: 'https://schema.org/MixedEventAttendanceMode',
      audience: { '@type': 'Audience', description: locale === 'it' ? 'Operatori pubblici' : 'Public operators' },
      location: { '@type': 'Place', name: 'Sala riunioni', containedInPlace: { name: 'Potenza' } },
      performer: [{ '@type': 'Person', name: 'Gianpietro Losapio' }],
      organizer: [{ '@type': 'Consortium', name: 'Consorzio NOVA', alternateName: 'NOVA' }],
      funding: { '@type': 'Grant' },
    });
    // Its 12 participants have no schema.org term: no value anywhere is that count (ids and dates may hold any digits).
    const values: unknown[] = [];
    JSON.stringify(training.jsonLd, (_key, value) => (typeof value === 'object' ? value : values.push(value) && value));
    expect(values.filter((value) => String(value) === '12')).toEqual([]);
  });

  test('territories, organizations and people', async () => {
    const data = await query(
      `query($locale: I18NLocaleCode) {
        territories(locale: $locale, sort: "slug") { slug documentId jsonLd }
        organizations(locale: $locale, sort: "slug") { slug jsonLd }
        people(locale: $locale, sort: "slug") { slug jsonLd }
      }`,
      { locale },
    );
    const [basilicata, city, potenza] = data.territories;
    expect(basilicata.jsonLd).toMatchObject({
      '@type': 'AdministrativeArea',
      name: 'Basilicata',
      identifier: [
        { '@type': 'PropertyValue', propertyID: 'NUTS', value: 'ITF5' },
        { '@type': 'PropertyValue', propertyID: 'ISTAT', value: '17' },
      ],
      containsPlace: [{ '@id': potenza.jsonLd['@id'] }],
    });
    expect(potenza.jsonLd).toMatchObject({
      identifier: [{ value: 'ITF51' }, { value: '076' }],
      containedInPlace: { '@id': iri('territories', basilicata.documentId, locale) },
      containsPlace: [{ '@id': city.jsonLd['@id'] }],
    });
    expect(city.jsonLd).toMatchObject({ name: 'Potenza', identifier: [{ propertyID: 'ISTAT', value: '076063' }] });

    const [nova, region] = data.organizations;
    expect(nova.jsonLd).toMatchObject({ '@type': 'Consortium', name: 'Consorzio NOVA', alternateName: 'NOVA' });
    expect(region.jsonLd).toMatchObject({ '@type': 'GovernmentOrganization', location: { '@id': basilicata.jsonLd['@id'] } });

    const casaletto = data.people.find((p: any) => p.slug === 'giovanni-casaletto');
    expect(casaletto.jsonLd).toMatchObject({
      '@type': 'Person',
      name: 'Giovanni Casaletto',
      jobTitle: ['Regional Project Manager'],
      worksFor: [
        {
          '@type': 'OrganizationRole',
          roleName: 'Regional Project Manager',
          worksFor: { '@id': nova.jsonLd['@id'], name: 'Consorzio NOVA' },
        },
      ],
      mainEntityOfPage: { license: CC_BY },
    });
    for (const person of data.people) expect(JSON.stringify(person.jsonLd)).not.toMatch(/consent|email|@example/i);
  });

  test('the project, outcomes as observations, themes as defined terms', async () => {
    const data = await query(
      `query($locale: I18NLocaleCode) {
        projects(locale: $locale) { jsonLd }
        outcomes(locale: $locale, sort: "value") { unit jsonLd }
        themes(locale: $locale, sort: "slug") { name jsonLd }
      }`,
      { locale },
    );
    const [project] = data.projects;
    expect(project.jsonLd).toMatchObject({
      '@type': 'Project',
      alternateName: 'Com.In.4.0',
      funding: {
        '@type': 'Grant',
        funder: { '@type': 'FundingScheme', name: expect.stringContaining('2014-2020') },
        fundedItem: { '@id': project.jsonLd['@id'] },
      },
      mainEntityOfPage: { license: CC_BY, inLanguage: locale },
    });
    // The partners' roles are the editors' inference: left out; the coordinator is the article's.
    expect(project.jsonLd.member.map((m: any) => m.roleName)).toEqual(['coordinator']);

    const people = data.outcomes.at(-1);
    expect(people.jsonLd).toMatchObject({
      '@type': 'Observation',
      minValue: 110,
      unitText: people.unit,
      observationAbout: expect.arrayContaining([{ '@id': project.jsonLd['@id'], '@type': 'Project', name: expect.any(String) }]),
    });
    expect(people.jsonLd.value).toBeUndefined();
    expect(data.outcomes.map((o: any) => o.jsonLd.value ?? o.jsonLd.minValue)).toEqual([14, 50, 55, 110]);

    for (const theme of data.themes) {
      expect(theme.jsonLd).toMatchObject({
        '@type': 'DefinedTerm',
        name: theme.name,
        inDefinedTermSet: { '@id': `${PUBLIC_URL}/api/themes?locale=${locale}` },
      });
    }
  });
});

test('a jsonLd result expands, with the bundled context, to schema.org linked data', async () => {
  const { events } = await query(`{ events { jsonLd } }`);
  const [expanded] = await expandJsonLd(events[0].jsonLd);
  expect(expanded['@type']).toEqual(['http://schema.org/Event']);
  expect(expanded['http://schema.org/subEvent']).toHaveLength(11);
  expect(expanded['http://schema.org/location'][0]['http://schema.org/address'][0]['http://schema.org/streetAddress']).toEqual([
    { '@value': 'Via della Tecnica 18' },
  ]);
});

test('a list is loaded with one query per type, however many records ask for jsonLd', async () => {
  let reads = 0;
  kb.strapi.documents.use(async (context, next) => {
    if (context.uid === 'api::theme.theme' && context.action === 'findMany') reads += 1;
    return next();
  });
  const { themes } = await query(`{ themes(pagination: { pageSize: 100 }) { jsonLd } }`);
  expect(themes).toHaveLength(7);
  expect(themes.every((t: any) => t.jsonLd['@type'] === 'DefinedTerm')).toBe(true);
  expect(reads).toBe(2); // the list, then the records for jsonLd
});

test('a draft never appears: a draft-only theme linked to a practice that is then published', async () => {
  const theme = await kb.strapi.documents('api::theme.theme').create({
    locale: 'it',
    data: { name: 'Tema in bozza', slug: 'tema-in-bozza', license: 'CC-BY-4.0', source: { title: 'Bozza' } },
  } as any);
  const practiceId = await published(GP, 'forum-regionale-sui-fenomeni-migratori');
  const practice = await kb.strapi
    .documents(GP)
    .findOne({ documentId: practiceId, locale: 'it', status: 'draft', populate: { themes: true } } as any);
  await kb.strapi.documents(GP).update({
    documentId: practiceId,
    locale: 'it',
    data: { themes: [...practice!.themes.map((t: any) => t.documentId), theme.documentId] },
  } as any);
  const draft = await kb.strapi
    .documents(GP)
    .findOne({ documentId: practiceId, locale: 'it', status: 'draft', populate: { themes: true } } as any);
  expect(draft!.themes.map((t: any) => t.name)).toContain('Tema in bozza');
  await kb.strapi.documents(GP).publish({ documentId: practiceId, locale: 'it' });

  const res = await kb.graphql(`query($id: ID!) { goodPractice(documentId: $id, locale: "it") { jsonLd } }`, { id: practiceId });
  expect(res.body.errors).toBeUndefined();
  const { jsonLd } = res.body.data.goodPractice;
  expect(jsonLd.about.length).toBeGreaterThan(0);
  expect(JSON.stringify(jsonLd)).not.toMatch(/Tema in bozza|tema-in-bozza/);
  expect(JSON.stringify(jsonLd)).not.toContain(theme.documentId);
});

test('a person who withdraws consent disappears from the jsonLd of the event she spoke at', async () => {
  const personId = await published('api::person.person', 'elvira-locantore');
  await kb.strapi.documents('api::person.person').update({ documentId: personId, locale: 'it', data: { consentToPublish: false } } as any);
  for (const locale of ['it', 'en']) {
    const { events } = await query(`query($locale: I18NLocaleCode) { events(locale: $locale) { jsonLd } }`, { locale });
    const text = JSON.stringify(events[0].jsonLd);
    expect(text).toContain('Michele Busciolano');
    expect(text).not.toContain('Elvira Locantore');
    expect(text).not.toContain(personId);
  }
});
