/**
 * Open data: the DCAT-AP_IT catalogue, CSV rows derived from the content model, and the
 * pieces of a streamed JSON-LD file. Pure: the Strapi adapter (index.ts) reads the records
 * and hands them over; nothing here touches the database.
 */
import type { Attribute, Attributes } from '../../content/model/core';
import { licenseUrl } from '../../public-api/json-ld/core';
import type { Locale } from '../../content/locales/core';

type Rec = Record<string, any>;
export type Text = Record<Locale, string>;

// ---------------------------------------------------------------- CSV

export interface Column {
  name: string;
  read: (record: Rec) => string;
}

/** Inside one cell, the values of a list (relations, media, the items of a repeatable component). */
export const LIST_SEPARATOR = ';';
/** Inside one item of a repeatable component, its own values (the speakers of one agenda item). */
export const ITEM_VALUE_SEPARATOR = '|';

/** Strapi's bookkeeping and the columns every file starts with, not content-model columns. */
const NOT_COLUMNS = new Set(['id', 'documentId', 'locale', 'localizations']);

const scalar = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};
const many = (value: unknown): Rec[] => (Array.isArray(value) ? value : value ? [value as Rec] : []);
// A separator inside a value is escaped with a backslash, so that splitting a cell on unescaped
// separators gives the values back (an agenda title may hold a ';').
const escaped = (value: string) => value.replace(/[\\;|]/g, '\\$&');
const joined = (values: unknown[], separator = LIST_SEPARATOR) =>
  values
    .map(scalar)
    .filter((v) => v !== '')
    .map(escaped)
    .join(separator);

/**
 * A relation is written once, on its owning side (`themes` of a good practice, not
 * `goodPractices` of a theme), as the related records' slugs; relations to anything that is not
 * a public type (admin users) and private fields are left out.
 */
const isColumn = (name: string, attribute: Attribute, publicTargets: ReadonlySet<string>): boolean =>
  !NOT_COLUMNS.has(name) &&
  !attribute.private &&
  attribute.type !== 'password' &&
  (attribute.type !== 'relation' || (publicTargets.has(String(attribute.target)) && !attribute.mappedBy));

/**
 * The stable column list of a type, in the content model's order: the record's documentId,
 * locale and address first, then every public attribute. Relations are slugs and media are
 * absolute URLs, joined with `;`. A component's fields become `component.field` columns; for a
 * repeatable one each column holds one entry per item, in order and empty when the item has no
 * value, so the n-th entries of `agenda.time` and `agenda.title` belong together; an item's own
 * list (its speakers) is joined with `|`. `license` and `source.*` are attributes of every type,
 * so every row carries them.
 */
export function csvColumns(
  attributes: Attributes,
  components: Record<string, Attributes>,
  publicTargets: ReadonlySet<string>,
  { baseUrl, iri }: { baseUrl: string; iri: (record: Rec) => string },
): Column[] {
  const columns: Column[] = [
    { name: 'documentId', read: (r) => scalar(r.documentId) },
    { name: 'locale', read: (r) => scalar(r.locale) },
    { name: 'url', read: iri },
  ];
  const absolute = (url: string) => (/^https?:\/\//.test(url) ? url : `${baseUrl}${url}`);
  // Relations (slugs) and media (URLs) are lists, escaped and joined; any other value is written as it is.
  const isList = (attribute: Attribute) => attribute.type === 'relation' || attribute.type === 'media';
  const listOf = (attribute: Attribute, value: unknown): string[] =>
    attribute.type === 'relation' ? many(value).map((related) => related.slug) : many(value).map((file) => absolute(file.url));
  // Times as HH:MM:SS whatever the engine gives (SQLite keeps milliseconds, PostgreSQL does not).
  const plain = (attribute: Attribute, value: unknown): string =>
    attribute.type === 'time' && typeof value === 'string' ? value.slice(0, 8) : scalar(value);
  const cell = (attribute: Attribute, value: unknown, separator = LIST_SEPARATOR): string =>
    isList(attribute) ? joined(listOf(attribute, value), separator) : plain(attribute, value);
  for (const [name, attribute] of Object.entries(attributes)) {
    if (!isColumn(name, attribute, publicTargets)) continue;
    if (attribute.type !== 'component') {
      columns.push({ name, read: (r) => cell(attribute, r[name]) });
      continue;
    }
    for (const [field, inner] of Object.entries(components[String(attribute.component)] ?? {})) {
      if (!isColumn(field, inner, publicTargets)) continue;
      const read = attribute.repeatable
        ? (r: Rec) =>
            many(r[name])
              .map((item) => (isList(inner) ? cell(inner, item[field], ITEM_VALUE_SEPARATOR) : escaped(plain(inner, item[field]))))
              .join(LIST_SEPARATOR)
        : (r: Rec) => cell(inner, r[name]?.[field]);
      columns.push({ name: `${name}.${field}`, read });
    }
  }
  return columns;
}

/** What a CSV file needs loaded: slugs of related records, media URLs, components with theirs. */
export function csvPopulate(attributes: Attributes, components: Record<string, Attributes>, publicTargets: ReadonlySet<string>): Rec {
  const populate: Rec = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    if (!isColumn(name, attribute, publicTargets)) continue;
    if (attribute.type === 'relation') populate[name] = { fields: ['slug'] };
    else if (attribute.type === 'media') populate[name] = { fields: ['url'] };
    else if (attribute.type === 'component') {
      const inner = csvPopulate(components[String(attribute.component)] ?? {}, {}, publicTargets);
      populate[name] = Object.keys(inner).length ? { populate: inner } : true;
    }
  }
  return populate;
}

/** One RFC 4180 field: quoted when it holds a comma, a quote or a line break. */
export const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** One RFC 4180 record, CRLF-terminated. */
export const csvLine = (values: string[]): string => `${values.map(csvField).join(',')}\r\n`;

export const csvHeader = (columns: Column[]) => csvLine(columns.map((c) => c.name));
export const csvRow = (columns: Column[], record: Rec) => csvLine(columns.map((c) => c.read(record)));

/** A BOM so that spreadsheet programs read the file as UTF-8 (RFC 4180 parsers ignore it). */
export const CSV_BOM = '\uFEFF';

// ---------------------------------------------------------------- JSON-LD files

/** A streamed schema.org file: one @graph, written record by record. */
export const JSON_LD_OPEN = '{"@context":"https://schema.org","@graph":[\n';
export const JSON_LD_CLOSE = '\n]}\n';
export const JSON_LD_SEPARATOR = ',\n';

/** A record's JSON-LD as a node of the file's @graph (the file states the context once). */
export function graphNode(jsonLd: object): string {
  const { '@context': _context, ...node } = jsonLd as Rec;
  return JSON.stringify(node);
}

// ---------------------------------------------------------------- the catalogue

export const MEDIA_TYPES = { jsonld: 'application/ld+json', csv: 'text/csv' } as const;
export type Format = keyof typeof MEDIA_TYPES;

/** The name of the file with every public type in it. */
export const EVERYTHING = 'knowledge-base';

/** File names under /open-data/: a JSON-LD and a CSV file per type, everything in one JSON-LD. */
export const openDataFileNames = (plurals: string[]): string[] => [
  'catalog.jsonld',
  ...plurals.flatMap((plural) => [`${plural}.jsonld`, `${plural}.csv`]),
  `${EVERYTHING}.jsonld`,
];

type Keywords = Record<Locale, string[]>;

export interface CatalogueSettings {
  title: Text;
  description: Text;
  publisher: { identifier: string; name: Text };
  accrualPeriodicity: string;
  /** How long the files are meant to stay available (EU planned-availability code). */
  availability: string;
  /** Keywords of every dataset; each dataset adds its own. */
  keywords: Keywords;
  /** `themes` are EU data-theme codes (the knowledge base's own themes go in `dct:subject`). */
  datasets: Record<string, { themes: string[]; title: Text; description: Text; keywords: Keywords }>;
  everything: { title: Text; description: Text; keywords: Keywords };
}

/** What the catalogue is told by the deployment rather than by the data. */
export interface CatalogueSite {
  baseUrl: string;
  /** The contact point's e-mail (OPEN_DATA_CONTACT_EMAIL); null when the deployment names none. */
  contactEmail: string | null;
}

/** What the catalogue says about one type's published records. */
export interface DatasetFacts {
  type: string;
  plural: string;
  count: number;
  /** Latest change of a published record (ISO date-time), null when there are none. */
  modified: string | null;
  /** Earliest publication among its published records (ISO date-time), null when there are none. */
  issued: string | null;
  /** Earliest and latest of the records' own dates (ISO), when the type has dates. */
  start: string | null;
  end: string | null;
  /** SPDX ids of the licences its records carry. */
  licences: string[];
  /** The type has a `themes` relation: the knowledge base's themes describe it. */
  themed: boolean;
}

export interface CatalogueFacts {
  datasets: DatasetFacts[];
  themes: { documentId: string; slug: string; name: Partial<Text>; eurovocUri?: string | null }[];
  /** The top-level territories (those with no parent), the knowledge base's spatial coverage. */
  territories: { documentId: string; nutsCode?: string | null; name: Partial<Text> }[];
}

const EU = 'http://publications.europa.eu/resource/authority';
const LANGUAGES: Record<Locale, string> = { it: 'ITA', en: 'ENG' };

/** The EU vocabulary DCAT-AP_IT requires `dcat:theme` values from. */
export const DATA_THEME_SCHEME = `${EU}/data-theme`;

/** Labels of the EU planned-availability codes the settings may use (the vocabulary's own). */
const AVAILABILITIES: Record<string, Text> = {
  AVAILABLE: { it: 'Disponibile', en: 'Available' },
  STABLE: { it: 'Stabile', en: 'Stable' },
};

/** Labels of the EU data themes the settings use (the EU vocabulary's own labels). */
const DATA_THEMES: Record<string, Text> = {
  SOCI: { it: 'Popolazione e società', en: 'Population and society' },
  GOVE: { it: 'Governo e settore pubblico', en: 'Government and public sector' },
  EDUC: { it: 'Istruzione, cultura e sport', en: 'Education, culture and sport' },
  REGI: { it: 'Regioni e città', en: 'Regions and cities' },
};

/** The kind of licence (ADMS licence types) for the SPDX ids the knowledge base uses. */
const LICENCE_TYPES: Record<string, [string, string]> = {
  'CC0-1.0': ['PublicDomain', 'Public domain'],
  'CC-BY-4.0': ['Attribution', 'Attribution'],
  'CC-BY-SA-4.0': ['ShareAlike', 'Share alike'],
};

/** Least to most demanding: a file mixing licences is offered under its most demanding one. */
const LICENCE_ORDER = ['CC0-1.0', 'CC-BY-4.0', 'CC-BY-SA-4.0'];

export function distributionLicence(licences: string[]): string {
  const known = (id: string) => (LICENCE_ORDER.includes(id) ? LICENCE_ORDER.indexOf(id) : LICENCE_ORDER.length);
  return [...new Set(licences.filter(Boolean))].sort((a, b) => known(b) - known(a))[0] ?? 'CC-BY-4.0';
}

const text = (value: Partial<Text>) =>
  (Object.keys(LANGUAGES) as Locale[])
    .filter((locale) => value[locale])
    .map((locale) => ({ '@value': value[locale], '@language': locale }));
const date = (iso: string) => ({ '@value': iso.slice(0, 10), '@type': 'xsd:date' });
const ref = (iri: string) => ({ '@id': iri });
const keywords = (...lists: Keywords[]) =>
  (Object.keys(LANGUAGES) as Locale[]).flatMap((locale) =>
    lists.flatMap((list) => list[locale] ?? []).map((k) => ({ '@value': k, '@language': locale })),
  );
const latest = (values: (string | null)[]) =>
  values
    .filter((v): v is string => Boolean(v))
    .sort()
    .pop();
const earliest = (values: (string | null)[]) => values.filter((v): v is string => Boolean(v)).sort()[0];

const CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  dcatapit: 'http://dati.gov.it/onto/dcatapit#',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  locn: 'http://www.w3.org/ns/locn#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcatap: 'http://data.europa.eu/r5r/',
};

/**
 * The DCAT-AP_IT catalogue (on DCAT-AP 3, its floor): one dataset per public type with a JSON-LD
 * and a CSV distribution, and one for the whole knowledge base. Every node a property points to
 * is typed and labelled in the same graph (licences, formats, themes, languages, places), since
 * the DCAT-AP shapes check the class of what each property points to. The context is inline, so
 * nothing has to be fetched to read it as RDF.
 *
 * The Italian profile's rules: `dcat:theme` holds EU data themes only (the knowledge base's own
 * themes are `dct:subject`); every dataset has `dct:modified`, a dataset with no published
 * record the catalogue's (its content, none, is at least that current); the contact point has
 * an e-mail when the deployment names one (the project's article gives none).
 */
export function catalogue(settings: CatalogueSettings, facts: CatalogueFacts, { baseUrl, contactEmail }: CatalogueSite): object {
  const openData = `${baseUrl}/open-data`;
  const publisher = {
    '@id': `${openData}/catalog.jsonld#publisher`,
    '@type': ['foaf:Agent', 'dcatapit:Agent'],
    'foaf:name': text(settings.publisher.name),
    'dct:identifier': settings.publisher.identifier,
  };
  const contactPoint = {
    '@id': `${openData}/catalog.jsonld#contact`,
    '@type': ['vcard:Kind', 'vcard:Organization', 'dcatapit:Organization'],
    'vcard:fn': settings.publisher.name.it,
    ...(contactEmail ? { 'vcard:hasEmail': ref(`mailto:${contactEmail}`) } : {}),
    'vcard:hasURL': ref(`${baseUrl}/`),
  };
  const languages = Object.values(LANGUAGES).map((code) => ({ '@id': `${EU}/language/${code}`, '@type': 'dct:LinguisticSystem' }));
  const themeScheme = {
    '@id': `${baseUrl}/api/themes`,
    '@type': 'skos:ConceptScheme',
    'dct:title': text({ it: 'Temi della base di conoscenza', en: 'Knowledge base themes' }),
  };
  const dataThemeScheme = {
    '@id': DATA_THEME_SCHEME,
    '@type': 'skos:ConceptScheme',
    'dct:title': text({ it: 'Temi dei dati', en: 'Data themes' }),
  };
  const dataTheme = (code: string) => ({
    '@id': `${DATA_THEME_SCHEME}/${code}`,
    '@type': 'skos:Concept',
    'skos:prefLabel': text(DATA_THEMES[code] ?? { it: code, en: code }),
    'skos:inScheme': ref(dataThemeScheme['@id']),
  });
  const ownThemes = facts.themes.map((theme) => ({
    '@id': `${baseUrl}/api/themes/${theme.documentId}`,
    '@type': 'skos:Concept',
    'skos:prefLabel': text(theme.name),
    'skos:notation': theme.slug,
    'skos:inScheme': ref(themeScheme['@id']),
    ...(theme.eurovocUri ? { 'skos:exactMatch': ref(theme.eurovocUri) } : {}),
  }));
  // NUTS regions have an EU authority IRI; anything else is known by its own record.
  const spatial = facts.territories.map((territory) => ({
    '@id': territory.nutsCode
      ? `http://data.europa.eu/nuts/code/${territory.nutsCode}`
      : `${baseUrl}/api/territories/${territory.documentId}`,
    '@type': 'dct:Location',
    'locn:geographicName': text(territory.name),
    ...(territory.nutsCode ? { 'dcatapit:geographicalIdentifier': territory.nutsCode } : {}),
  }));
  const licence = (spdx: string) => {
    const [kind, label] = LICENCE_TYPES[spdx] ?? ['Attribution', 'Attribution'];
    return {
      '@id': licenseUrl(spdx),
      '@type': ['dct:LicenseDocument', 'dcatapit:LicenseDocument'],
      'foaf:name': spdx,
      'dct:type': {
        '@id': `http://purl.org/adms/licencetype/${kind}`,
        '@type': 'skos:Concept',
        'skos:prefLabel': text({ it: label, en: label }),
      },
    };
  };
  const availability = {
    '@id': `${EU}/planned-availability/${settings.availability}`,
    '@type': 'skos:Concept',
    'skos:prefLabel': text(AVAILABILITIES[settings.availability] ?? { it: settings.availability, en: settings.availability }),
    'skos:inScheme': ref(`${EU}/planned-availability`),
  };
  const distributionDescription = (format: Format, title: Text): Text =>
    format === 'jsonld'
      ? {
          it: `Ogni record pubblicato di «${title.it}», in italiano e in inglese, come JSON-LD (schema.org), con licenza e fonte su ogni record.`,
          en: `Every published record of "${title.en}", in Italian and English, as JSON-LD (schema.org), with licence and source on every record.`,
        }
      : {
          it: `Una riga per record pubblicato di «${title.it}» e per lingua (italiano, inglese), in CSV (RFC 4180, UTF-8, con intestazione); relazioni come slug separati da «;»; licenza e fonte su ogni riga.`,
          en: `One row per published record of "${title.en}" and language (Italian, English), as CSV (RFC 4180, UTF-8, with a header); relations as slugs separated by ";"; licence and source on every row.`,
        };
  const distribution = (name: string, format: Format, title: Text, spdx: string) => {
    const url = `${openData}/${name}.${format}`;
    const label = format === 'jsonld' ? 'JSON-LD (schema.org)' : 'CSV';
    return {
      '@id': url,
      '@type': ['dcat:Distribution', 'dcatapit:Distribution'],
      'dct:title': text({ it: `${title.it} – ${label}`, en: `${title.en} – ${label}` }),
      'dct:description': text(distributionDescription(format, title)),
      'dcatap:availability': ref(availability['@id']),
      'dcat:accessURL': ref(url),
      'dcat:downloadURL': ref(url),
      'dct:format': { '@id': `${EU}/file-type/${format === 'jsonld' ? 'JSON_LD' : 'CSV'}`, '@type': 'dct:MediaTypeOrExtent' },
      'dcat:mediaType': { '@id': `https://www.iana.org/assignments/media-types/${MEDIA_TYPES[format]}`, '@type': 'dct:MediaType' },
      'dct:license': licence(spdx),
    };
  };
  const period = (start: string | null, end: string | null) =>
    start || end
      ? [
          {
            '@type': 'dct:PeriodOfTime',
            ...(start ? { 'dcat:startDate': date(start) } : {}),
            ...(end ? { 'dcat:endDate': date(end) } : {}),
          },
        ]
      : [];
  const lastChange = latest(facts.datasets.map((d) => d.modified));
  const dataset = (
    id: string,
    meta: { title: Text; description: Text; keywords: Keywords },
    dates: { modified?: string; issued?: string; start: string | null; end: string | null },
    themes: { eu: string[]; own: object[] },
    distributions: object[],
  ) => ({
    '@id': `${openData}/${id}`,
    '@type': ['dcat:Dataset', 'dcatapit:Dataset'],
    'dct:identifier': `${settings.publisher.identifier}:${id}`,
    'dct:title': text(meta.title),
    'dct:description': text(meta.description),
    'dcat:keyword': keywords(settings.keywords, meta.keywords),
    ...(dates.issued ? { 'dct:issued': date(dates.issued) } : {}),
    // A dataset with no published record is as current as the catalogue.
    ...((dates.modified ?? lastChange) ? { 'dct:modified': date((dates.modified ?? lastChange)!) } : {}),
    'dcat:theme': themes.eu.map((code) => ref(`${DATA_THEME_SCHEME}/${code}`)),
    ...(themes.own.length ? { 'dct:subject': themes.own } : {}),
    'dct:publisher': ref(publisher['@id']),
    'dct:rightsHolder': ref(publisher['@id']),
    'dcat:contactPoint': ref(contactPoint['@id']),
    'dct:accrualPeriodicity': { '@id': `${EU}/frequency/${settings.accrualPeriodicity}`, '@type': 'dct:Frequency' },
    'dct:language': languages.map((l) => ref(l['@id'])),
    'dct:spatial': spatial.map((s) => ref(s['@id'])),
    'dct:temporal': period(dates.start, dates.end),
    'dcat:distribution': distributions,
  });

  const ownSubjects = ownThemes.map((t) => ref(t['@id']));
  const datasets = facts.datasets.map((facts) => {
    const meta = settings.datasets[facts.type];
    const spdx = distributionLicence(facts.licences);
    return dataset(
      facts.plural,
      meta,
      { modified: facts.modified ?? undefined, issued: facts.issued ?? undefined, start: facts.start, end: facts.end },
      { eu: meta.themes, own: facts.themed ? ownSubjects : [] },
      [distribution(facts.plural, 'jsonld', meta.title, spdx), distribution(facts.plural, 'csv', meta.title, spdx)],
    );
  });
  const firstIssue = earliest(facts.datasets.map((d) => d.issued));
  const allThemes = [...new Set(Object.values(settings.datasets).flatMap((d) => d.themes))];
  const everything = dataset(
    EVERYTHING,
    settings.everything,
    {
      modified: lastChange,
      issued: firstIssue,
      start: earliest(facts.datasets.map((d) => d.start)) ?? null,
      end: latest(facts.datasets.map((d) => d.end)) ?? null,
    },
    { eu: allThemes, own: ownSubjects },
    [distribution(EVERYTHING, 'jsonld', settings.everything.title, distributionLicence(facts.datasets.flatMap((d) => d.licences)))],
  );

  return {
    '@context': CONTEXT,
    '@graph': [
      {
        '@id': `${openData}/catalog.jsonld`,
        '@type': ['dcat:Catalog', 'dcatapit:Catalog'],
        'dct:title': text(settings.title),
        'dct:description': text(settings.description),
        'dct:publisher': ref(publisher['@id']),
        // The first publication of what it lists, and the last change to it.
        ...(firstIssue ? { 'dct:issued': date(firstIssue) } : {}),
        ...(lastChange ? { 'dct:modified': date(lastChange) } : {}),
        'dct:language': languages.map((l) => ref(l['@id'])),
        'dct:license': licence('CC-BY-4.0'),
        'dct:spatial': spatial.map((s) => ref(s['@id'])),
        'foaf:homepage': { '@id': `${baseUrl}/`, '@type': 'foaf:Document' },
        'dcat:themeTaxonomy': [dataThemeScheme, themeScheme],
        'dcat:dataset': [...datasets, everything],
      },
      publisher,
      contactPoint,
      ...languages,
      ...spatial,
      ...allThemes.map(dataTheme),
      ...ownThemes,
      availability,
    ],
  };
}
