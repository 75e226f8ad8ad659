/**
 * schema.org JSON-LD for the public types. Pure: a published record, loaded with its type's
 * `populate`, goes in; a JSON-LD object comes out. Each mapper names every field it emits, so a
 * field the public API hides (curationStatus, reviewerNote, email, consentToPublish) never
 * reaches the output even when the record carries it.
 *
 * The schema-dts types check at compile time that every property is one schema.org allows on
 * the type it is used on; tests/unit/json-ld.test.ts checks that every term expands to a
 * schema.org term of the bundled context (tests/helpers/linked-data.ts).
 *
 * A value the editors inferred (listed in the record's `inferences`) is left out: schema.org
 * has no way to say "inferred", and a harvester would take it as stated by the source. The
 * source's description says what was inferred and why, so nothing is hidden either.
 *
 * License and source (`license`, `isBasedOn`, `dateModified`, `inLanguage`) describe the
 * record, a creative work: the good practice is one, and carries them itself; every other
 * type carries them on the record it is the main entity of (`mainEntityOfPage`), since
 * schema.org does not define them on an event, a person or a place.
 */
import type {
  AdministrativeArea,
  CreativeWork,
  DefinedTerm,
  DefinedTermSet,
  EducationEvent,
  Event,
  EventAttendanceModeEnumeration,
  Grant,
  MediaObject,
  Observation,
  Organization,
  Person,
  Place,
  PropertyValue,
  Project,
  WithContext,
} from 'schema-dts';
import { fieldLabel } from '../../content/labels/core';
import type { Locale } from '../../content/locales/core';
import { recordPath } from '../../content/paths/core';

export interface JsonLdContext {
  /** Public server URL, without a trailing slash: the base of every record's IRI. */
  baseUrl: string;
  /** Locale the record was asked in; a loaded record's own `locale` wins. */
  locale: string;
}

type Rec = Record<string, any>;

/** REST paths: a record's IRI is its REST address, which anyone can dereference. */
const PLURALS = {
  project: 'projects',
  'good-practice': 'good-practices',
  training: 'trainings',
  'thematic-table': 'thematic-tables',
  outcome: 'outcomes',
  event: 'events',
  organization: 'organizations',
  person: 'people',
  territory: 'territories',
  theme: 'themes',
} as const;
export type RecordKind = keyof typeof PLURALS;

/** One IRI per record and locale, the same wherever the record appears (own output or relation). */
export const recordIri = (kind: RecordKind, record: Rec, ctx: JsonLdContext): string =>
  `${ctx.baseUrl}/api/${PLURALS[kind]}/${record.documentId}?locale=${record.locale ?? ctx.locale}`;

/** Where a reader lands: the record's public page (one per locale), or its IRI for a record without a slug. */
const pageUrl = (kind: RecordKind, record: Rec, ctx: JsonLdContext): string =>
  record.slug ? `${ctx.baseUrl}${recordPath((record.locale ?? ctx.locale) as Locale, kind, record.slug)}` : recordIri(kind, record, ctx);

/** The name of the set of themes, per locale (English for any other). */
const THEME_SET_NAME: Record<string, string> = { it: 'Temi della base di conoscenza', en: 'Knowledge base themes' };

/** SPDX ids of Creative Commons licences to their deeds; any other id is kept as given. */
export function licenseUrl(spdx: string | null | undefined): string | undefined {
  if (!spdx) return undefined;
  if (/^CC0-1\.0$/i.test(spdx)) return 'https://creativecommons.org/publicdomain/zero/1.0/';
  const cc = /^CC-(BY(?:-(?:NC|SA|ND))*)-(\d\.\d)(?:-([A-Z]{2}))?$/i.exec(spdx);
  if (!cc) return spdx;
  const [, terms, version, port] = cc;
  return `https://creativecommons.org/licenses/${terms.toLowerCase()}/${version}/${port ? `${port.toLowerCase()}/` : ''}`;
}

/** Drops empty values (absent fields, empty relations), so the output names only what is known. */
export function prune<T>(value: T): T {
  if (Array.isArray(value)) return value.map(prune).filter((v) => !isEmpty(v)) as T;
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(([k, v]) => [k, prune(v)] as const);
    return Object.fromEntries(entries.filter(([, v]) => !isEmpty(v))) as T;
  }
  return value;
}
const isPlainObject = (v: unknown): v is object => Object.prototype.toString.call(v) === '[object Object]';
const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);

const list = (records: Rec[] | null | undefined): Rec[] => records ?? [];
const absolute = (url: string, ctx: JsonLdContext) => (/^https?:\/\//.test(url) ? url : `${ctx.baseUrl}${url}`);

// ---------------------------------------------------------------- shared pieces

/** Where the record's facts come from: the `source` component, and what the editors inferred from it. */
function source(src: Rec | null | undefined, inferences: Rec[] | null | undefined): CreativeWork | undefined {
  if (!src) return undefined;
  return {
    '@type': src.url ? 'WebPage' : 'CreativeWork',
    name: src.title,
    url: src.url,
    publisher: src.publisher ? { '@type': 'Organization', name: src.publisher } : undefined,
    datePublished: src.date,
    // The note says what the source is silent about; the inferences, what was inferred and why.
    description: [src.note, ...list(inferences).map((inference) => inference.basis)].filter(Boolean).join(' '),
  };
}

/** What describes the record as a creative work: language, licence, source, last change. */
const recordFacts = (record: Rec, ctx: JsonLdContext) => ({
  inLanguage: record.locale ?? ctx.locale,
  license: licenseUrl(record.license),
  isBasedOn: source(record.source, record.inferences),
  dateModified: record.updatedAt,
});

const recordPage = (kind: RecordKind, record: Rec, ctx: JsonLdContext): CreativeWork => ({
  '@type': 'CreativeWork',
  url: pageUrl(kind, record, ctx),
  ...recordFacts(record, ctx),
});

const themeSet = (ctx: JsonLdContext): DefinedTermSet => ({
  '@type': 'DefinedTermSet',
  '@id': `${ctx.baseUrl}/api/themes?locale=${ctx.locale}`,
  name: THEME_SET_NAME[ctx.locale] ?? THEME_SET_NAME.en,
});

const themeTerm = (theme: Rec, ctx: JsonLdContext) => ({
  '@type': 'DefinedTerm' as const,
  '@id': recordIri('theme', theme, ctx),
  name: theme.name,
  termCode: theme.slug,
  sameAs: theme.eurovocUri,
  inDefinedTermSet: themeSet(ctx),
});

const codes = (territory: Rec): PropertyValue[] => [
  territory.nutsCode && { '@type': 'PropertyValue', propertyID: 'NUTS', value: territory.nutsCode },
  territory.istatCode && { '@type': 'PropertyValue', propertyID: 'ISTAT', value: territory.istatCode },
];

/** Territories are administrative areas (a country is one too); codes identify them. */
const place = (territory: Rec, ctx: JsonLdContext) => ({
  // Typed as AdministrativeArea: a Country takes the same properties.
  '@type': (territory.level === 'country' ? 'Country' : 'AdministrativeArea') as 'AdministrativeArea',
  '@id': recordIri('territory', territory, ctx),
  name: territory.name,
  identifier: codes(territory),
});

/** Organization types with a schema.org subtype of their own; associations and others stay Organization. */
const ORGANIZATION_TYPES: Record<string, string> = {
  public_authority: 'GovernmentOrganization',
  consortium: 'Consortium',
  cooperative: 'Cooperative',
  company: 'Corporation',
  education_provider: 'EducationalOrganization',
};

const organization = (org: Rec, ctx: JsonLdContext) => ({
  // Typed as Organization: its subtypes above take the same properties.
  '@type': (ORGANIZATION_TYPES[org.type] ?? 'Organization') as 'Organization',
  '@id': recordIri('organization', org, ctx),
  name: org.name,
  alternateName: org.acronym,
});

const person = (p: Rec, ctx: JsonLdContext): Person => ({ '@type': 'Person', '@id': recordIri('person', p, ctx), name: p.fullName });

const projectRef = (p: Rec, ctx: JsonLdContext): Project => ({ '@type': 'Project', '@id': recordIri('project', p, ctx), name: p.title });

const eventRef = (kind: 'event' | 'thematic-table', e: Rec, ctx: JsonLdContext): Event => ({
  '@type': 'Event',
  '@id': recordIri(kind, e, ctx),
  name: e.title,
});

const trainingRef = (t: Rec, ctx: JsonLdContext): EducationEvent => ({
  '@type': 'EducationEvent',
  '@id': recordIri('training', t, ctx),
  name: t.title,
});

const practiceRef = (gp: Rec, ctx: JsonLdContext): CreativeWork => ({
  '@type': 'CreativeWork',
  '@id': recordIri('good-practice', gp, ctx),
  name: gp.title,
});

/**
 * The project's funding line. The fund (FAMI / AMIF 2014-2020) is what schema.org calls a
 * FundingScheme, an organization that funds through grants; the model names no other funder.
 */
function grant(project: Rec | null | undefined, ctx: JsonLdContext): Grant | undefined {
  const funding = project?.funding;
  if (!funding) return undefined;
  const { specificObjective, nationalObjective, action, call, legalBasis } = funding;
  return {
    '@type': 'Grant',
    description: [specificObjective, nationalObjective, action, call, legalBasis].filter(Boolean).join('; '),
    funder: { '@type': 'FundingScheme', name: funding.fund },
    fundedItem: projectRef(project, ctx),
  };
}

/** Venue as a Place with its postal address, inside the record's territory when there is one. */
function location(venue: Rec | null | undefined, territory: Rec | null | undefined, ctx: JsonLdContext): Place | undefined {
  const area = territory ? place(territory, ctx) : undefined;
  if (!venue) return area;
  return {
    '@type': 'Place',
    name: venue.name,
    address: { '@type': 'PostalAddress', streetAddress: venue.address, addressLocality: venue.city, postalCode: venue.postalCode },
    containedInPlace: area,
  };
}

const media = (files: Rec[] | null | undefined, ctx: JsonLdContext): MediaObject[] =>
  list(files).map((file) => ({ '@type': 'MediaObject', name: file.name, contentUrl: absolute(file.url, ctx), encodingFormat: file.mime }));

/** Open-ended ISO 8601 interval ("2020-01-01/.."), as temporalCoverage expects. */
const interval = (start?: string | null, end?: string | null) => (start || end ? `${start ?? '..'}/${end ?? '..'}` : undefined);

/** Agenda times are wall-clock times at the venue; the knowledge base's events are in Italy. */
export const EVENT_TIME_ZONE = 'Europe/Rome';

/** Minutes east of UTC that `timeZone` is at `instant`. */
function utcOffset(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((wall - Math.floor(instant / 60000) * 60000) / 60000);
}

/**
 * An agenda time on the event's day, as an ISO 8601 date-time with the venue's offset
 * (09:00 on 26 September 2022 in Potenza is 2022-09-26T09:00:00+02:00).
 */
export function agendaStart(eventStart: string, time: string, timeZone = EVENT_TIME_ZONE): string {
  const start = Date.parse(eventStart);
  const local = new Date(start + utcOffset(start, timeZone) * 60000).toISOString().slice(0, 10);
  const [h, m, s = '00'] = time.split(':');
  const clock = `${h.padStart(2, '0')}:${m}:${s.slice(0, 2)}`;
  const wall = Date.parse(`${local}T${clock}Z`);
  const offset = utcOffset(wall - utcOffset(start, timeZone) * 60000, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}T${clock}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const ATTENDANCE_MODES: Record<string, EventAttendanceModeEnumeration> = {
  in_person: 'https://schema.org/OfflineEventAttendanceMode',
  online: 'https://schema.org/OnlineEventAttendanceMode',
  blended: 'https://schema.org/MixedEventAttendanceMode',
};

/** Long texts as parts named by their field labels, so a harvester keeps the structure of the record. */
const sections = (record: Rec, model: string, keys: string[], ctx: JsonLdContext): CreativeWork[] =>
  keys.map((key) => record[key] && { '@type': 'CreativeWork', name: fieldLabel(model, key, ctx.locale), text: record[key] });

// ---------------------------------------------------------------- one mapper per type

export function projectJsonLd(p: Rec, ctx: JsonLdContext): WithContext<Project> {
  return {
    '@context': 'https://schema.org',
    '@type': 'Project',
    '@id': recordIri('project', p, ctx),
    url: p.website ?? pageUrl('project', p, ctx),
    name: p.title,
    alternateName: p.acronym,
    description: p.summary,
    foundingDate: p.startDate,
    dissolutionDate: p.endDate,
    funding: grant(p, ctx),
    member: [
      ...list(p.partners)
        .filter((partner) => partner.organization)
        .map((partner) => ({
          '@type': 'OrganizationRole' as const,
          roleName: partner.role,
          member: organization(partner.organization, ctx),
        })),
      ...(p.coordinator ? [{ '@type': 'OrganizationRole' as const, roleName: 'coordinator', member: person(p.coordinator, ctx) }] : []),
    ],
    areaServed: list(p.territories).map((t) => place(t, ctx)),
    mainEntityOfPage: recordPage('project', p, ctx),
  };
}

export function goodPracticeJsonLd(gp: Rec, ctx: JsonLdContext): WithContext<CreativeWork> {
  return {
    '@context': 'https://schema.org',
    '@type': 'CreativeWork',
    '@id': recordIri('good-practice', gp, ctx),
    url: pageUrl('good-practice', gp, ctx),
    name: gp.title,
    description: gp.summary,
    hasPart: sections(
      gp,
      'api::good-practice.good-practice',
      ['context', 'objectives', 'activities', 'results', 'lessonsLearned', 'transferability', 'resourcesNeeded'],
      ctx,
    ),
    about: list(gp.themes).map((t) => themeTerm(t, ctx)),
    spatialCoverage: list(gp.territories).map((t) => place(t, ctx)),
    temporalCoverage: interval(gp.startDate, gp.endDate),
    audience: list(gp.targetGroups).map((g) => ({ '@type': 'Audience' as const, audienceType: g.group })),
    // The lead organization runs the practice, on behalf of the project that funds it.
    creator: gp.leadOrganization ? organization(gp.leadOrganization, ctx) : undefined,
    contributor: list(gp.partnerOrganizations).map((o) => organization(o, ctx)),
    sourceOrganization: gp.project ? projectRef(gp.project, ctx) : undefined,
    funding: grant(gp.project, ctx),
    // Thematic tables discuss the practice; trainings teach it.
    subjectOf: [
      ...list(gp.thematicTables).map((t) => eventRef('thematic-table', t, ctx)),
      ...list(gp.trainings).map((t) => trainingRef(t, ctx)),
    ],
    associatedMedia: media(gp.attachments, ctx),
    ...recordFacts(gp, ctx),
  };
}

/** A training meeting is an EducationEvent; its counts of participants have no schema.org property. */
export function trainingJsonLd(t: Rec, ctx: JsonLdContext): WithContext<EducationEvent> {
  return {
    '@context': 'https://schema.org',
    '@type': 'EducationEvent',
    '@id': recordIri('training', t, ctx),
    url: pageUrl('training', t, ctx),
    name: t.title,
    description: t.description,
    teaches: t.learningObjectives,
    audience: t.audience ? { '@type': 'Audience', description: t.audience } : undefined,
    startDate: t.startDate,
    endDate: t.endDate,
    eventAttendanceMode: ATTENDANCE_MODES[t.mode],
    location: location(t.venue, t.territory, ctx),
    organizer: list(t.organizers).map((o) => organization(o, ctx)),
    performer: list(t.trainers).map((p) => person(p, ctx)),
    about: list(t.themes).map((theme) => themeTerm(theme, ctx)),
    funding: grant(t.project, ctx),
    workFeatured: media(t.materials, ctx),
    mainEntityOfPage: recordPage('training', t, ctx),
  };
}

/**
 * A thematic table is a session of an event where people meet to discuss a subject: an Event
 * whose superEvent is the workshop (not a DiscussionForumPosting, which is an online post).
 * Its findings and recommendations are the works that record it.
 */
export function thematicTableJsonLd(table: Rec, ctx: JsonLdContext): WithContext<Event> {
  return {
    '@context': 'https://schema.org',
    '@type': 'Event',
    '@id': recordIri('thematic-table', table, ctx),
    url: pageUrl('thematic-table', table, ctx),
    name: table.title,
    description: table.scope,
    superEvent: table.event ? eventRef('event', table.event, ctx) : undefined,
    about: [...list(table.themes).map((t) => themeTerm(t, ctx)), ...list(table.goodPractices).map((gp) => practiceRef(gp, ctx))],
    organizer: list(table.facilitators).map((p) => person(p, ctx)),
    attendee: list(table.participatingOrganizations).map((o) => organization(o, ctx)),
    recordedIn: sections(table, 'api::thematic-table.thematic-table', ['findings', 'recommendations'], ctx),
    mainEntityOfPage: recordPage('thematic-table', table, ctx),
  };
}

/**
 * An outcome is an Observation: a value measured about something (the project, its territory,
 * the practices, trainings and events it concerns). Observation is also a QuantitativeValue, so
 * "at least 110" is a minValue rather than a value; indicator type, qualifier and code, which
 * schema.org has no properties for, are named PropertyValues.
 */
export function outcomeJsonLd(o: Rec, ctx: JsonLdContext): WithContext<Observation> {
  const value = o.value === null || o.value === undefined ? undefined : Number(o.value);
  const days = o.periodStart && o.periodEnd ? (Date.parse(o.periodEnd) - Date.parse(o.periodStart)) / 86400000 + 1 : undefined;
  return {
    '@context': 'https://schema.org',
    '@type': 'Observation',
    '@id': recordIri('outcome', o, ctx),
    url: pageUrl('outcome', o, ctx),
    name: o.title,
    description: o.description,
    variableMeasured: o.title,
    ...(o.qualifier === 'at_least' ? { minValue: value } : { value }),
    unitText: o.unit,
    observationDate: o.periodEnd ?? o.periodStart,
    observationPeriod: days ? `P${days}D` : undefined,
    observationAbout: [
      ...(o.project ? [projectRef(o.project, ctx)] : []),
      ...(o.territory ? [place(o.territory, ctx)] : []),
      ...list(o.goodPractices).map((gp) => practiceRef(gp, ctx)),
      ...list(o.trainings).map((t) => trainingRef(t, ctx)),
      ...list(o.events).map((e) => eventRef('event', e, ctx)),
    ],
    additionalProperty: [
      o.indicatorType && { '@type': 'PropertyValue', propertyID: 'indicatorType', value: o.indicatorType },
      { '@type': 'PropertyValue', propertyID: 'qualifier', value: o.qualifier },
      o.indicatorCode && { '@type': 'PropertyValue', propertyID: 'indicatorCode', value: o.indicatorCode },
    ],
    mainEntityOfPage: recordPage('outcome', o, ctx),
  };
}

/**
 * An event with its agenda as sub-events: an item starts at its time on the event's day, its
 * speakers perform, and an item that is a thematic table is that table (same @id).
 */
export function eventJsonLd(e: Rec, ctx: JsonLdContext): WithContext<Event> {
  const agenda: Event[] = list(e.agenda).map((item) => ({
    '@type': 'Event',
    '@id': item.thematicTable ? recordIri('thematic-table', item.thematicTable, ctx) : undefined,
    name: item.title,
    startDate: item.time && e.startDate ? agendaStart(e.startDate, item.time) : undefined,
    performer: list(item.speakers).map((p) => person(p, ctx)),
  }));
  const inAgenda = new Set(list(e.agenda).map((item) => item.thematicTable?.documentId));
  const otherTables = list(e.thematicTables).filter((t) => !inAgenda.has(t.documentId));
  return {
    '@context': 'https://schema.org',
    '@type': 'Event',
    '@id': recordIri('event', e, ctx),
    url: pageUrl('event', e, ctx),
    name: e.title,
    description: e.description,
    startDate: e.startDate,
    endDate: e.endDate,
    location: location(e.venue, e.territory, ctx),
    organizer: list(e.organizers).map((o) => organization(o, ctx)),
    about: list(e.themes).map((t) => themeTerm(t, ctx)),
    funding: grant(e.project, ctx),
    subEvent: [...agenda, ...otherTables.map((t) => eventRef('thematic-table', t, ctx))],
    mainEntityOfPage: recordPage('event', e, ctx),
  };
}

export function organizationJsonLd(org: Rec, ctx: JsonLdContext): WithContext<Organization> {
  return {
    '@context': 'https://schema.org',
    ...organization(org, ctx),
    url: org.website ?? pageUrl('organization', org, ctx),
    description: org.description,
    location: org.territory ? place(org.territory, ctx) : undefined,
    mainEntityOfPage: recordPage('organization', org, ctx),
  };
}

/** A person works for each organization of their affiliations, in the role named there. */
export function personJsonLd(p: Rec, ctx: JsonLdContext): WithContext<Person> {
  const affiliations = list(p.affiliations);
  return {
    '@context': 'https://schema.org',
    '@type': 'Person',
    '@id': recordIri('person', p, ctx),
    url: pageUrl('person', p, ctx),
    name: p.fullName,
    description: p.bio,
    jobTitle: affiliations.map((a) => a.jobTitle),
    worksFor: affiliations
      .filter((a) => a.organization)
      .map((a) => ({ '@type': 'OrganizationRole' as const, roleName: a.jobTitle, worksFor: organization(a.organization, ctx) })),
    mainEntityOfPage: recordPage('person', p, ctx),
  };
}

export function territoryJsonLd(t: Rec, ctx: JsonLdContext): WithContext<AdministrativeArea> {
  return {
    '@context': 'https://schema.org',
    ...place(t, ctx),
    url: pageUrl('territory', t, ctx),
    containedInPlace: t.parent ? place(t.parent, ctx) : undefined,
    containsPlace: list(t.children).map((child) => place(child, ctx)),
    mainEntityOfPage: recordPage('territory', t, ctx),
  };
}

export function themeJsonLd(theme: Rec, ctx: JsonLdContext): WithContext<DefinedTerm> {
  return {
    '@context': 'https://schema.org',
    ...themeTerm(theme, ctx),
    url: pageUrl('theme', theme, ctx),
    description: theme.description,
    mainEntityOfPage: recordPage('theme', theme, ctx),
  };
}

// ---------------------------------------------------------------- what to load, how to map

const withFunding = { populate: { funding: true } };

/** Per public type: the one populate its mapper needs, and the mapper. */
export const JSON_LD_TYPES = {
  'api::project.project': {
    populate: {
      funding: true,
      partners: { populate: { organization: true } },
      territories: true,
      coordinator: true,
      source: true,
      inferences: true,
    },
    map: projectJsonLd,
  },
  'api::good-practice.good-practice': {
    populate: {
      project: withFunding,
      themes: true,
      territories: true,
      leadOrganization: true,
      partnerOrganizations: true,
      trainings: true,
      thematicTables: true,
      attachments: true,
      targetGroups: true,
      source: true,
      inferences: true,
    },
    map: goodPracticeJsonLd,
  },
  'api::training.training': {
    populate: {
      venue: true,
      project: withFunding,
      territory: true,
      themes: true,
      trainers: true,
      organizers: true,
      materials: true,
      source: true,
      inferences: true,
    },
    map: trainingJsonLd,
  },
  'api::thematic-table.thematic-table': {
    populate: {
      event: true,
      themes: true,
      facilitators: true,
      participatingOrganizations: true,
      goodPractices: true,
      source: true,
      inferences: true,
    },
    map: thematicTableJsonLd,
  },
  'api::outcome.outcome': {
    populate: { project: true, territory: true, goodPractices: true, trainings: true, events: true, source: true, inferences: true },
    map: outcomeJsonLd,
  },
  'api::event.event': {
    populate: {
      venue: true,
      agenda: { populate: { speakers: true, thematicTable: true } },
      project: withFunding,
      organizers: true,
      thematicTables: true,
      themes: true,
      territory: true,
      source: true,
      inferences: true,
    },
    map: eventJsonLd,
  },
  'api::organization.organization': { populate: { territory: true, source: true, inferences: true }, map: organizationJsonLd },
  'api::person.person': {
    populate: { affiliations: { populate: { organization: true } }, source: true, inferences: true },
    map: personJsonLd,
  },
  'api::territory.territory': { populate: { parent: true, children: true, source: true, inferences: true }, map: territoryJsonLd },
  'api::theme.theme': { populate: { source: true, inferences: true }, map: themeJsonLd },
} satisfies Record<string, { populate: Record<string, unknown>; map: (record: Rec, ctx: JsonLdContext) => object }>;

export type JsonLdUid = keyof typeof JSON_LD_TYPES;

/**
 * The record without the values its `inferences` name ("startDate", or "agenda.time" in every
 * item of the agenda), so that no mapper states them, nor anything computed from them.
 */
export function withoutInferred(record: Rec): Rec {
  const clear = (value: Rec, path: string[]): Rec => {
    const [name, ...rest] = path;
    if (!value || !(name in value)) return value;
    if (!rest.length) return { ...value, [name]: null };
    const inner = value[name];
    return { ...value, [name]: Array.isArray(inner) ? inner.map((item) => clear(item, rest)) : clear(inner, rest) };
  };
  return list(record.inferences).reduce((out: Rec, inference) => clear(out, String(inference.field).split('.')), record);
}

/** The JSON-LD of one loaded record, without inferred values nor empty properties. */
export const toJsonLd = (uid: JsonLdUid, record: Rec, ctx: JsonLdContext): object =>
  prune(JSON_LD_TYPES[uid].map(withoutInferred(record), ctx));
