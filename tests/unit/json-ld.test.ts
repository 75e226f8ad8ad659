/**
 * schema.org JSON-LD mappers on the real seed data, loaded the way their populate asks, and
 * checked as linked data: expanded with the bundled schema.org context in safe mode, every
 * property and type a schema.org term.
 */
import fs from 'fs';
import path from 'path';
import { readSeedFiles } from '../../src/publishing/seed';
import { contentTypeUid, documentData, type Schemas } from '../../src/publishing/seed/core';
import {
  JSON_LD_TYPES,
  agendaStart,
  licenseUrl,
  prune,
  recordIri,
  toJsonLd,
  type JsonLdUid,
  type RecordKind,
} from '../../src/public-api/json-ld/core';
import { SCHEMA_ORG_CONTEXT, documentLoader, expandJsonLd } from '../helpers/linked-data';
import jsonld from 'jsonld';
import { PUBLIC_UIDS } from '../../src/content/model/core';

const root = path.resolve(__dirname, '../..');
const readJson = (...parts: string[]) => JSON.parse(fs.readFileSync(path.join(root, ...parts), 'utf8'));
const typeOf = (uid: string) => uid.split('.').pop()!;
const schemas: Schemas = {
  attributes: (uid) => readJson('src/api', typeOf(uid), 'content-types', typeOf(uid), 'schema.json').attributes,
  component: (uid) => readJson('src/components', ...uid.split('.').map((part, i) => (i ? `${part}.json` : part))).attributes,
};
const { base, files } = readSeedFiles(path.join(root, 'data/seed'));
const seed = new Map(
  files.flatMap((file) => file.records.map((record) => [`${contentTypeUid(file.type)}#${record.slug}`, record] as const)),
);

const BASE_URL = 'https://kb.example.org';
const UPDATED = '2026-11-20T10:00:00.000Z';
type Rec = Record<string, any>;
type Populate = Record<string, any>;

/** A seeded record as the document service returns it in `locale`, with `populate` loaded. */
function loaded(uid: string, slug: string, locale: string, populate: Populate): Rec {
  const record = seed.get(`${uid}#${slug}`);
  if (!record) throw new Error(`no ${uid} ${slug} in data/seed`);
  const data = documentData(uid, record, locale, base, schemas, (_target, target) => target);
  return {
    documentId: `${typeOf(uid)}-${slug}`,
    locale,
    updatedAt: UPDATED,
    publishedAt: UPDATED,
    ...withRelations(data, schemas.attributes(uid), populate, locale, slug),
  };
}

function withRelations(data: Rec, attributes: Rec, populate: Populate, locale: string, slug?: string): Rec {
  const out: Rec = {};
  for (const [field, attribute] of Object.entries<any>(attributes)) {
    const spec = populate[field];
    const nested = typeof spec === 'object' ? (spec.populate ?? {}) : {};
    if (!['relation', 'component', 'media'].includes(attribute.type)) {
      if (field in data) out[field] = data[field];
    } else if (!spec) {
      continue;
    } else if (attribute.type === 'relation') {
      // The seed states a two-way relation on its owning side only.
      const slugs = attribute.mappedBy
        ? [...seed.entries()]
            .filter(([key, r]) => key.startsWith(`${attribute.target}#`) && [r.relations?.[attribute.mappedBy]].flat().includes(slug))
            .map(([, r]) => r.slug)
        : data[field];
      const load = (target: string) => loaded(attribute.target, target, locale, nested);
      out[field] = /ToMany$/.test(attribute.relation) ? [slugs ?? []].flat().map(load) : slugs ? load([slugs].flat()[0]) : null;
    } else if (attribute.type === 'component') {
      const one = (item: Rec) => withRelations(item, schemas.component(attribute.component), nested, locale);
      out[field] = attribute.repeatable ? (data[field] ?? []).map(one) : data[field] ? one(data[field]) : null;
    } else {
      out[field] = data[field] ?? (attribute.multiple ? [] : null);
    }
  }
  return out;
}

const jsonLdOf = (uid: JsonLdUid, slug: string, locale = 'it', extra: Rec = {}) =>
  toJsonLd(uid, { ...loaded(uid, slug, locale, JSON_LD_TYPES[uid].populate), ...extra }, { baseUrl: BASE_URL, locale }) as Rec;

const SCHEMA = 'http://schema.org/';
const isSchemaTerm = (iri: string) => iri.startsWith(SCHEMA) && SCHEMA_ORG_CONTEXT[iri.slice(SCHEMA.length)] !== undefined;

/** Every key of the document except JSON-LD keywords, at any depth. */
const keysOf = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.flatMap(keysOf)
    : value && typeof value === 'object'
      ? Object.entries(value).flatMap(([k, v]) => [...(k.startsWith('@') ? [] : [k]), ...keysOf(v)])
      : [];

/** Property and type IRIs of an expanded document. */
function irisOf(value: unknown, into = { properties: new Set<string>(), types: new Set<string>() }) {
  if (Array.isArray(value)) value.forEach((v) => irisOf(v, into));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '@type') [v].flat().forEach((t) => into.types.add(t as string));
      else if (!k.startsWith('@')) into.properties.add(k);
      irisOf(v, into);
    }
  }
  return into;
}

/** Every statement survives as an RDF triple: no relative IRI, nothing dropped. */
const toRdf = (doc: Rec) => jsonld.toRDF(doc as any, { documentLoader, safe: true, format: 'application/n-quads' } as any);

/** Valid schema.org linked data: nothing dropped, every key and type a schema.org term. */
async function expectSchemaOrg(doc: Rec, type: string) {
  await toRdf(doc);
  const expanded = await expandJsonLd(doc);
  expect(expanded).toHaveLength(1);
  expect(expanded[0]['@type']).toEqual([`${SCHEMA}${type}`]);
  const { properties, types } = irisOf(expanded);
  for (const key of keysOf(doc)) expect(properties).toContain(`${SCHEMA}${key}`);
  for (const iri of [...properties, ...types]) expect([iri, isSchemaTerm(iri)]).toEqual([iri, true]);
  return expanded[0];
}

/** The IRI of a seeded record (its documentId here is `<kind>-<slug>`). */
const iri = (kind: RecordKind, slug: string, locale = 'it') =>
  recordIri(kind, { documentId: `${kind}-${slug}`, locale }, { baseUrl: BASE_URL, locale });
const CC_BY = 'https://creativecommons.org/licenses/by/4.0/';

describe('schema.org JSON-LD of the seed data', () => {
  test('the Final Workshop: an Event at GoDesk, its agenda as sub-events with times, speakers and tables', async () => {
    const event = jsonLdOf('api::event.event', 'final-workshop-potenza');
    await expectSchemaOrg(event, 'Event');
    expect(event).toMatchObject({
      '@context': 'https://schema.org',
      '@id': `${BASE_URL}/api/events/event-final-workshop-potenza?locale=it`,
      name: 'Final Workshop regionale del progetto Com.In.4.0',
      location: {
        '@type': 'Place',
        name: 'GoDesk',
        address: { '@type': 'PostalAddress', streetAddress: 'Via della Tecnica 18', addressLocality: 'Potenza' },
        // The venue is in the city of Potenza (a municipality: an ISTAT code, no NUTS code).
        containedInPlace: { '@type': 'AdministrativeArea', name: 'Potenza', identifier: [{ propertyID: 'ISTAT', value: '076063' }] },
      },
      funding: { '@type': 'Grant', funder: { '@type': 'FundingScheme', name: 'Fondo Asilo, Migrazione e Integrazione (FAMI) 2014-2020' } },
      mainEntityOfPage: { '@type': 'CreativeWork', inLanguage: 'it', license: CC_BY, dateModified: UPDATED },
    });
    // The year is the editors' inference: no date is stated, and the source's description says why.
    expect(event.startDate).toBeUndefined();
    expect(event.mainEntityOfPage.isBasedOn.description).toMatch(/La redazione ha registrato il 2022/);
    expect(event.about.map((t: Rec) => t['@type'])).toEqual(['DefinedTerm', 'DefinedTerm', 'DefinedTerm', 'DefinedTerm']);
    expect(event.subEvent).toHaveLength(11);
    expect(event.subEvent[0]).toEqual({ '@type': 'Event', name: 'Registrazione dei partecipanti' });
    // With the date confirmed (no inference), the agenda's 09:00 is a date-time at the venue.
    const confirmed = jsonLdOf('api::event.event', 'final-workshop-potenza', 'it', { inferences: [] });
    expect(confirmed.startDate).toBe('2022-09-26T07:00:00.000Z');
    expect(confirmed.subEvent[0].startDate).toBe('2022-09-26T09:00:00+02:00');
    expect(event.subEvent[1].startDate).toBeUndefined();
    expect(event.subEvent[1].performer.map((p: Rec) => p.name)).toEqual(['Michele Busciolano', 'Elvira Locantore']);
    expect(event.subEvent[1].performer[0]['@id']).toBe(iri('person', 'michele-busciolano'));
    expect(event.subEvent[4]).toMatchObject({
      '@id': iri('thematic-table', 'minori-stranieri-e-neomaggiorenni'),
      name: 'Tavolo tematico: minori stranieri e neomaggiorenni',
    });
  });

  test('a good practice: a CreativeWork with themes, territory, funding, licence and source', async () => {
    const practice = jsonLdOf('api::good-practice.good-practice', 'rete-di-governance-pubblico-privata', 'en');
    await expectSchemaOrg(practice, 'CreativeWork');
    expect(practice).toMatchObject({
      '@id': iri('good-practice', 'rete-di-governance-pubblico-privata', 'en'),
      name: 'Public/private governance network',
      inLanguage: 'en',
      license: CC_BY,
      dateModified: UPDATED,
      isBasedOn: { '@type': 'CreativeWork', name: 'Com.In.4.0 – Skills for integration: the regional Final Workshop in Potenza' },
      about: [
        {
          '@type': 'DefinedTerm',
          name: 'Governance of services',
          termCode: 'governance-dei-servizi',
          inDefinedTermSet: { '@type': 'DefinedTermSet' },
        },
      ],
      spatialCoverage: [{ '@type': 'AdministrativeArea', '@id': iri('territory', 'basilicata', 'en'), name: 'Basilicata' }],
      sourceOrganization: { '@type': 'Project', '@id': iri('project', 'com-in-4-0', 'en') },
      funding: {
        '@type': 'Grant',
        funder: { '@type': 'FundingScheme', name: 'Asylum, Migration and Integration Fund (AMIF / FAMI) 2014-2020' },
      },
    });
    // The article names no target group.
    expect(practice.audience).toBeUndefined();
    expect(practice.hasPart.map((part: Rec) => part.name)).toEqual(['Results and evidence of success']);
    expect(practice.isBasedOn.description).toMatch(/the article gives no publisher/);
  });

  test('a theme named with its EuroVoc concept is sameAs it', async () => {
    const theme = jsonLdOf('api::theme.theme', 'integrazione-sociale', 'it', { eurovocUri: 'http://eurovoc.europa.eu/2707' });
    const expanded = await expectSchemaOrg(theme, 'DefinedTerm');
    expect(theme).toMatchObject({
      name: 'Integrazione sociale dei migranti',
      sameAs: 'http://eurovoc.europa.eu/2707',
      inDefinedTermSet: { '@id': `${BASE_URL}/api/themes?locale=it` },
    });
    expect(expanded[`${SCHEMA}sameAs`]).toEqual([{ '@id': 'http://eurovoc.europa.eu/2707' }]);
  });

  test('territories: administrative areas identified by NUTS and ISTAT codes, inside their parent', async () => {
    const potenza = jsonLdOf('api::territory.territory', 'potenza');
    await expectSchemaOrg(potenza, 'AdministrativeArea');
    expect(potenza).toMatchObject({
      name: 'Provincia di Potenza',
      identifier: [
        { '@type': 'PropertyValue', propertyID: 'NUTS', value: 'ITF51' },
        { '@type': 'PropertyValue', propertyID: 'ISTAT', value: '076' },
      ],
      containedInPlace: {
        '@id': iri('territory', 'basilicata'),
        identifier: [
          { propertyID: 'NUTS', value: 'ITF5' },
          { propertyID: 'ISTAT', value: '17' },
        ],
      },
    });
    expect(jsonLdOf('api::territory.territory', 'basilicata').containsPlace).toEqual([
      expect.objectContaining({ '@id': iri('territory', 'potenza'), name: 'Provincia di Potenza' }),
    ]);
    expect(potenza.containsPlace).toEqual([expect.objectContaining({ '@id': iri('territory', 'comune-di-potenza'), name: 'Potenza' })]);
  });

  test('organizations: the Region a GovernmentOrganization in Basilicata, NOVA a Consortium with its acronym', async () => {
    const region = jsonLdOf('api::organization.organization', 'regione-basilicata');
    await expectSchemaOrg(region, 'GovernmentOrganization');
    expect(region).toMatchObject({ name: 'Regione Basilicata', location: { name: 'Basilicata' } });
    const nova = jsonLdOf('api::organization.organization', 'consorzio-nova', 'en');
    await expectSchemaOrg(nova, 'Consortium');
    expect(nova).toMatchObject({ '@id': iri('organization', 'consorzio-nova', 'en'), name: 'Consorzio NOVA', alternateName: 'NOVA' });
    // Where a reader lands: the organisation's public page in that language.
    expect(nova.url).toBe(`${BASE_URL}/en/organization/consorzio-nova`);
  });

  test('people: job title, and an OrganizationRole for the organization they work for', async () => {
    const person = jsonLdOf('api::person.person', 'giovanni-casaletto');
    await expectSchemaOrg(person, 'Person');
    expect(person).toMatchObject({
      name: 'Giovanni Casaletto',
      jobTitle: ['Regional Project Manager'],
      worksFor: [
        {
          '@type': 'OrganizationRole',
          roleName: 'Regional Project Manager',
          worksFor: { '@type': 'Consortium', name: 'Consorzio NOVA', '@id': iri('organization', 'consorzio-nova') },
        },
      ],
    });
    const coordinator = jsonLdOf('api::person.person', 'elvira-locantore', 'en');
    await expectSchemaOrg(coordinator, 'Person');
    expect(coordinator.jobTitle).toEqual(['Project coordinator, COM.IN.4.0']);
    expect(coordinator.worksFor).toBeUndefined();
  });

  test('the project: a Project funded by a Grant of the FAMI funding scheme, with partners and coordinator', async () => {
    const project = jsonLdOf('api::project.project', 'com-in-4-0');
    await expectSchemaOrg(project, 'Project');
    expect(project).toMatchObject({
      name: "Com.In.4.0 – Competenze per l'integrazione",
      alternateName: 'Com.In.4.0',
      funding: {
        '@type': 'Grant',
        description:
          'Obiettivo Specifico 2. Integrazione / Migrazione legale; Obiettivo nazionale ON 3 – Capacity building; lett. j) Governance dei servizi; Capacity building 2018',
        funder: { '@type': 'FundingScheme' },
        fundedItem: { '@id': iri('project', 'com-in-4-0') },
      },
      areaServed: [{ name: 'Basilicata' }],
    });
    // Their part in the project is the editors' inference: only the coordinator the article names is stated.
    expect(project.member.map((m: Rec) => [m.roleName, m.member.name])).toEqual([['coordinator', 'Elvira Locantore']]);
    expect(project.mainEntityOfPage.isBasedOn.description).toMatch(/La redazione li registra come partner/);
  });

  test('outcomes: Observations; "over 110 people" is a minimum, not a value', async () => {
    const people = jsonLdOf('api::outcome.outcome', 'persone-coinvolte');
    await expectSchemaOrg(people, 'Observation');
    expect(people).toMatchObject({ name: 'Persone coinvolte', minValue: 110, unitText: 'persone', variableMeasured: 'Persone coinvolte' });
    expect(people.value).toBeUndefined();
    // The indicator type is the editors' classification: left out.
    expect(people.additionalProperty).toEqual([{ '@type': 'PropertyValue', propertyID: 'qualifier', value: 'at_least' }]);
    // A total of the project, not of one practice.
    expect(people.observationAbout.map((thing: Rec) => thing['@type'])).toEqual(['Project', 'AdministrativeArea']);
    const meetings = jsonLdOf('api::outcome.outcome', 'incontri-formativi-nei-territori', 'en', {
      periodStart: '2019-01-01',
      periodEnd: '2019-12-31',
    });
    await expectSchemaOrg(meetings, 'Observation');
    expect(meetings).toMatchObject({ value: 14, unitText: 'training meetings', observationDate: '2019-12-31', observationPeriod: 'P365D' });
  });

  test('thematic tables: Events of the workshop, about their themes and practices', async () => {
    const table = jsonLdOf('api::thematic-table.thematic-table', 'formazione-e-competenze-dei-migranti', 'en');
    await expectSchemaOrg(table, 'Event');
    expect(table).toMatchObject({
      name: 'Training and skills of migrants',
      superEvent: { '@type': 'Event', '@id': iri('event', 'final-workshop-potenza', 'en') },
      mainEntityOfPage: { license: CC_BY, inLanguage: 'en' },
    });
    expect(table.about.map((a: Rec) => [a['@type'], a.name])).toEqual([
      ['DefinedTerm', 'Training and skills of migrants'],
      ['CreativeWork', "The Poli sociali's support for individual, personalised training"],
    ]);
  });

  test('a training meeting: an EducationEvent at its venue, with trainers, organizers and the project grant', async () => {
    // The article gives none of the fourteen meetings' details: this one is made up from seed pieces.
    const training = toJsonLd(
      'api::training.training',
      {
        documentId: 'training-1',
        locale: 'it',
        updatedAt: UPDATED,
        title: 'Incontro formativo',
        learningObjectives: 'Conoscere la rete dei servizi.',
        audience: 'Operatori pubblici',
        startDate: '2021-03-10',
        mode: 'in_person',
        venue: { name: 'Sala riunioni', city: 'Potenza' },
        participantsCount: 12,
        territory: loaded('api::territory.territory', 'comune-di-potenza', 'it', {}),
        project: loaded('api::project.project', 'com-in-4-0', 'it', { funding: true }),
        trainers: [loaded('api::person.person', 'gianpietro-losapio', 'it', {})],
        organizers: [loaded('api::organization.organization', 'consorzio-nova', 'it', {})],
        themes: [loaded('api::theme.theme', 'governance-dei-servizi', 'it', {})],
        materials: [{ name: 'slides.pdf', url: '/uploads/slides.pdf', mime: 'application/pdf' }],
        license: 'CC-BY-4.0',
        source: { title: 'Registro degli incontri', date: '2021-03-11' },
      },
      { baseUrl: BASE_URL, locale: 'it' },
    ) as Rec;
    await expectSchemaOrg(training, 'EducationEvent');
    expect(training).toMatchObject({
      startDate: '2021-03-10',
      teaches: 'Conoscere la rete dei servizi.',
      audience: { '@type': 'Audience', description: 'Operatori pubblici' },
      eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
      location: { '@type': 'Place', name: 'Sala riunioni', address: { addressLocality: 'Potenza' }, containedInPlace: { name: 'Potenza' } },
      performer: [{ '@type': 'Person', name: 'Gianpietro Losapio' }],
      organizer: [{ '@type': 'Consortium', name: 'Consorzio NOVA' }],
      workFeatured: [{ '@type': 'MediaObject', contentUrl: `${BASE_URL}/uploads/slides.pdf`, encodingFormat: 'application/pdf' }],
      mainEntityOfPage: {
        license: CC_BY,
        isBasedOn: { '@type': 'CreativeWork', name: 'Registro degli incontri', datePublished: '2021-03-11' },
      },
    });
    expect(JSON.stringify(training)).not.toContain('12');
  });

  test('every public type has a mapper', () => {
    expect(Object.keys(JSON_LD_TYPES).sort()).toEqual([...PUBLIC_UIDS].sort());
  });
});

describe('privacy', () => {
  const secret = 'PRIVATE-VALUE';
  test.each([
    ['api::good-practice.good-practice', 'rete-di-governance-pubblico-privata', { curationStatus: 'in_review', reviewerNote: secret }],
    ['api::person.person', 'michele-busciolano', { email: `${secret}@example.org`, consentToPublish: true }],
    ['api::organization.organization', 'regione-basilicata', { email: `${secret}@example.org` }],
  ] as const)('%s: private fields of the record are never emitted', (uid, slug, privateFields) => {
    const doc = JSON.stringify(jsonLdOf(uid, slug, 'it', privateFields));
    expect(doc).not.toContain(secret);
    for (const field of Object.keys(privateFields)) expect(doc).not.toContain(field);
    expect(doc).not.toMatch(/in_review|consent/i);
  });

  test('private fields of related records are never emitted either', () => {
    const event = loaded('api::event.event', 'final-workshop-potenza', 'it', JSON_LD_TYPES['api::event.event'].populate);
    event.agenda[1].speakers[0].email = `${secret}@example.org`;
    event.organizers = [{ ...loaded('api::organization.organization', 'consorzio-nova', 'it', {}), email: `${secret}@example.org` }];
    expect(JSON.stringify(toJsonLd('api::event.event', event, { baseUrl: BASE_URL, locale: 'it' }))).not.toContain(secret);
  });
});

describe('pieces', () => {
  test('SPDX licence ids become licence URLs; unknown ids are kept', () => {
    expect(licenseUrl('CC-BY-4.0')).toBe(CC_BY);
    expect(licenseUrl('CC-BY-NC-SA-4.0')).toBe('https://creativecommons.org/licenses/by-nc-sa/4.0/');
    expect(licenseUrl('CC-BY-3.0-IT')).toBe('https://creativecommons.org/licenses/by/3.0/it/');
    expect(licenseUrl('CC0-1.0')).toBe('https://creativecommons.org/publicdomain/zero/1.0/');
    expect(licenseUrl('IODL-2.0')).toBe('IODL-2.0');
    expect(licenseUrl(null)).toBeUndefined();
  });

  test('agenda times are Italian wall-clock times on the day of the event, summer or winter', () => {
    expect(agendaStart('2022-09-26T07:00:00.000Z', '09:00:00.000')).toBe('2022-09-26T09:00:00+02:00');
    expect(agendaStart('2022-12-01T08:00:00.000Z', '14:30:00.000')).toBe('2022-12-01T14:30:00+01:00');
    // 00:30 in Rome on 1 March is still 28 February in UTC: the day is Rome's.
    expect(agendaStart('2023-02-28T23:30:00.000Z', '10:00')).toBe('2023-03-01T10:00:00+01:00');
  });

  test('empty values are left out', () => {
    const date = new Date('2022-09-26T07:00:00.000Z');
    expect(prune({ a: undefined, b: null, c: '', d: [], e: [null, { f: undefined }], g: 0, h: { i: 'x' }, date })).toEqual({
      g: 0,
      h: { i: 'x' },
      date,
    });
  });

  test('nothing is loaded from the network: only the bundled schema.org context', async () => {
    for (const url of ['https://schema.org', 'http://schema.org/', 'https://schema.org/']) {
      await expect(documentLoader(url)).resolves.toMatchObject({ document: { '@context': SCHEMA_ORG_CONTEXT } });
    }
    await expect(documentLoader('https://example.org/context.jsonld')).rejects.toThrow(/not bundled/);
    await expect(expandJsonLd({ '@context': 'https://www.w3.org/ns/activitystreams', name: 'x' })).rejects.toThrow();
  });

  test('safe mode refuses what would be dropped', async () => {
    await expect(expandJsonLd({ '@context': 'https://schema.org', '@type': 'CreativeWork', '@id': 'relative' })).rejects.toThrow(
      /Safe mode/,
    );
    await expect(toRdf({ '@context': 'https://schema.org', '@type': 'CreativeWork', license: 'IODL-2.0' })).rejects.toThrow(/Safe mode/);
  });
});
