import type { Attributes } from '../../content/model/core';
import { createHash } from 'crypto';
import fs from 'fs';
import path from 'path';
import { Readable } from 'stream';
import { pipeline } from 'stream/promises';
import type { Core } from '@strapi/strapi';
import { JSON_LD_TYPES, toJsonLd, type JsonLdUid } from '../../public-api/json-ld/core';
import { isNotModified } from '../../edge/response-cache/core';
import settings from '../../../data/open-data/catalog.json';
import {
  CSV_BOM,
  EVERYTHING,
  JSON_LD_CLOSE,
  JSON_LD_OPEN,
  JSON_LD_SEPARATOR,
  MEDIA_TYPES,
  catalogue,
  csvColumns,
  csvHeader,
  csvPopulate,
  csvRow,
  graphNode,
  openDataFileNames,
  type CatalogueFacts,
  type CatalogueSettings,
  type DatasetFacts,
} from './core';
import { CONTENT_LOCALES } from '../../content/locales/core';
import { PUBLIC_TYPES, PUBLIC_UIDS } from '../../content/model/core';
import type { Locale } from '../../content/locales/core';

type Rec = Record<string, any>;
type Chunks = () => AsyncIterable<string>;

/** Records read per query: enough to keep queries few, few enough to keep memory flat. */
export const PAGE_SIZE = 200;
const LOCALES = CONTENT_LOCALES.map((locale) => locale.code) as Locale[];
const PUBLISHED = { publishedAt: { $notNull: true } };

export interface OpenDataType {
  type: (typeof PUBLIC_TYPES)[number];
  uid: JsonLdUid;
  plural: string;
}

export const openDataTypes = (strapi: Core.Strapi): OpenDataType[] =>
  PUBLIC_TYPES.map((type) => {
    const uid = `api::${type}.${type}` as JsonLdUid;
    return { type, uid, plural: strapi.contentType(uid).info.pluralName };
  });

/** PUBLIC_URL (`server.url`) when set, else the address Strapi computes from host and port. */
export const publicUrl = (strapi: Core.Strapi): string => String(strapi.config.get('server.absoluteUrl')).replace(/\/+$/, '');

/**
 * Every published record of a type in a locale, a page at a time. Pages follow the row id
 * (keyset), so the last page costs what the first does, whatever the size of the table.
 */
export async function* publishedRecords(strapi: Core.Strapi, uid: JsonLdUid, locale: string, populate: Rec): AsyncGenerator<Rec> {
  let after = 0;
  for (;;) {
    const page: Rec[] = await strapi.documents(uid).findMany({
      status: 'published',
      locale,
      populate,
      filters: { id: { $gt: after } },
      sort: 'id:asc',
      limit: PAGE_SIZE,
    } as any);
    yield* page;
    if (page.length < PAGE_SIZE) return;
    after = page[page.length - 1].id;
  }
}

/** A type's records in every content locale, Italian first. */
async function* inEveryLocale(strapi: Core.Strapi, uid: JsonLdUid, populate: Rec): AsyncGenerator<Rec> {
  for (const locale of LOCALES) yield* publishedRecords(strapi, uid, locale, populate);
}

/** schema.org JSON-LD of the given types, the json-ld module's mapping of each record. */
function jsonLdChunks(strapi: Core.Strapi, types: OpenDataType[], baseUrl: string): Chunks {
  return async function* chunks() {
    yield JSON_LD_OPEN;
    let first = true;
    for (const { uid } of types) {
      for await (const record of inEveryLocale(strapi, uid, JSON_LD_TYPES[uid].populate)) {
        yield (first ? '' : JSON_LD_SEPARATOR) + graphNode(toJsonLd(uid, record, { baseUrl, locale: record.locale }));
        first = false;
      }
    }
    yield JSON_LD_CLOSE;
  };
}

const attributesOf = (strapi: Core.Strapi, uid: string) => strapi.getModel(uid as any).attributes as unknown as Attributes;

/** CSV of one type: its columns and what to load both follow from the content model. */
function csvChunks(strapi: Core.Strapi, { uid, plural }: OpenDataType, baseUrl: string): Chunks {
  return async function* chunks() {
    const attributes = attributesOf(strapi, uid);
    const components = Object.fromEntries(Object.keys(strapi.components).map((name) => [name, attributesOf(strapi, name)]));
    const publicTargets = new Set(PUBLIC_UIDS);
    const iri = (record: Rec) => `${baseUrl}/api/${plural}/${record.documentId}?locale=${record.locale}`;
    const columns = csvColumns(attributes, components, publicTargets, { baseUrl, iri });
    yield CSV_BOM + csvHeader(columns);
    for await (const record of inEveryLocale(strapi, uid, csvPopulate(attributes, components, publicTargets)))
      yield csvRow(columns, record);
  };
}

const column = (strapi: Core.Strapi, uid: string, attribute: string): string =>
  (strapi.db.metadata.get(uid as any).attributes[attribute] as { columnName?: string })?.columnName ?? attribute;

/**
 * Earliest (or latest) value of a field over a type's published records, leaving out values the
 * editors inferred: the catalogue states the period its records cover as a fact.
 */
async function extreme(strapi: Core.Strapi, uid: string, field: string, direction: 'asc' | 'desc'): Promise<string | null> {
  const inferred = await strapi.db.query(uid as any).findMany({ where: { ...PUBLISHED, inferences: { field } }, select: ['documentId'] });
  const [row] = await strapi.db.query(uid as any).findMany({
    where: { ...PUBLISHED, [field]: { $notNull: true }, documentId: { $notIn: inferred.map((record: Rec) => record.documentId) } },
    select: [field],
    orderBy: { [field]: direction },
    limit: 1,
  });
  const value = row?.[field];
  return value ? new Date(value).toISOString() : null;
}

async function datasetFacts(strapi: Core.Strapi, { type, uid, plural }: OpenDataType): Promise<DatasetFacts> {
  const attributes = attributesOf(strapi, uid);
  // The period the records cover runs from their earliest date to their latest one (an event
  // with no end date still covers its start date).
  const dateFields = ['startDate', 'periodStart', 'endDate', 'periodEnd'].filter((name) => attributes[name]);
  const earliest: string[] = [];
  const latest: string[] = [];
  for (const field of dateFields) {
    for (const [into, direction] of [
      [earliest, 'asc'],
      [latest, 'desc'],
    ] as const) {
      const value = await extreme(strapi, uid, field, direction);
      if (value) into.push(value);
    }
  }
  const { tableName } = strapi.db.metadata.get(uid as any);
  const licences = await strapi.db
    .connection(tableName)
    .distinct(column(strapi, uid, 'license'))
    .whereNotNull(column(strapi, uid, 'publishedAt'));
  return {
    type,
    plural,
    count: await strapi.db.query(uid as any).count({ where: PUBLISHED }),
    modified: await extreme(strapi, uid, 'updatedAt', 'desc'),
    issued: await extreme(strapi, uid, 'publishedAt', 'asc'),
    start: earliest.sort()[0] ?? null,
    end: latest.sort().pop() ?? null,
    licences: licences.map((row: Rec) => Object.values(row)[0]).filter(Boolean),
    themed: attributes.themes?.target === 'api::theme.theme',
  };
}

/** Published records of a (small) vocabulary type in every locale, one entry per document. */
async function byDocument(strapi: Core.Strapi, uid: JsonLdUid, populate: Rec = {}): Promise<Map<string, Record<string, Rec>>> {
  const documents = new Map<string, Record<string, Rec>>();
  for await (const record of inEveryLocale(strapi, uid, populate)) {
    documents.set(record.documentId, { ...documents.get(record.documentId), [record.locale]: record });
  }
  return documents;
}

async function catalogueFacts(strapi: Core.Strapi): Promise<CatalogueFacts> {
  const datasets: DatasetFacts[] = [];
  for (const type of openDataTypes(strapi)) datasets.push(await datasetFacts(strapi, type));
  const themes = [...(await byDocument(strapi, 'api::theme.theme')).entries()].map(([documentId, locales]) => {
    const any = Object.values(locales)[0];
    return {
      documentId,
      slug: any.slug,
      eurovocUri: any.eurovocUri,
      name: Object.fromEntries(Object.entries(locales).map(([l, r]) => [l, r.name])),
    };
  });
  const territories = [...(await byDocument(strapi, 'api::territory.territory', { parent: { fields: ['slug'] } })).entries()]
    .filter(([, locales]) => Object.values(locales).every((record) => !record.parent))
    .map(([documentId, locales]) => ({
      documentId,
      nutsCode: Object.values(locales)[0].nutsCode,
      name: Object.fromEntries(Object.entries(locales).map(([l, r]) => [l, r.name])),
    }));
  return { datasets, themes, territories };
}

export interface OpenDataFile {
  name: string;
  contentType: string;
  chunks: Chunks;
}

const CONTENT_TYPES = {
  jsonld: `${MEDIA_TYPES.jsonld}; charset=utf-8`,
  csv: `${MEDIA_TYPES.csv}; charset=utf-8; header=present`,
};

/**
 * The catalogue's contact e-mail, OPEN_DATA_CONTACT_EMAIL: the project's article publishes
 * none, so the deployment names the mailbox that answers for the data (DCAT-AP_IT requires one).
 * Unset, the contact point has none; malformed, the server refuses to start.
 */
export function openDataContactEmail(): string | null {
  const email = process.env.OPEN_DATA_CONTACT_EMAIL?.trim();
  if (!email) return null;
  if (!/^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/.test(email))
    throw new Error(`OPEN_DATA_CONTACT_EMAIL: "${email}" is not an e-mail address.`);
  return email;
}

/** The open-data files by name; the HTTP routes and the static snapshot write the same ones. */
export function openDataFiles(strapi: Core.Strapi, baseUrl = publicUrl(strapi)): Map<string, OpenDataFile> {
  const types = openDataTypes(strapi);
  const files: OpenDataFile[] = [
    {
      name: 'catalog.jsonld',
      contentType: CONTENT_TYPES.jsonld,
      chunks: async function* chunks() {
        const site = { baseUrl, contactEmail: openDataContactEmail() };
        yield JSON.stringify(catalogue(settings as CatalogueSettings, await catalogueFacts(strapi), site));
      },
    },
    ...types.flatMap((type) => [
      { name: `${type.plural}.jsonld`, contentType: CONTENT_TYPES.jsonld, chunks: jsonLdChunks(strapi, [type], baseUrl) },
      { name: `${type.plural}.csv`, contentType: CONTENT_TYPES.csv, chunks: csvChunks(strapi, type, baseUrl) },
    ]),
    { name: `${EVERYTHING}.jsonld`, contentType: CONTENT_TYPES.jsonld, chunks: jsonLdChunks(strapi, types, baseUrl) },
  ];
  return new Map(files.map((file) => [file.name, file]));
}

/**
 * Writes an open-data file to disk through the same stream as the HTTP route. It goes to a
 * temporary name first, so that a failure never leaves a partial file under the real one.
 */
export async function writeOpenDataFile(file: OpenDataFile, dir: string): Promise<string> {
  const target = path.join(dir, file.name);
  const partial = `${target}.partial`;
  try {
    await pipeline(Readable.from(file.chunks()), fs.createWriteStream(partial));
    fs.renameSync(partial, target);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  return target;
}

/** When anything public last changed, and a validator that changes with every publication. */
async function openDataVersion(strapi: Core.Strapi): Promise<{ lastModified: Date | null; etag: string }> {
  const marks: string[] = [];
  let latest: string | null = null;
  for (const uid of PUBLIC_UIDS) {
    const modified = await extreme(strapi, uid, 'updatedAt', 'desc');
    marks.push(`${await strapi.db.query(uid as any).count({ where: PUBLISHED })}@${modified}`);
    if (modified && (!latest || modified > latest)) latest = modified;
  }
  const hash = createHash('sha1').update(marks.join('|')).digest('base64url');
  return { lastModified: latest ? new Date(latest) : null, etag: `W/"${hash}"` };
}

/**
 * GET (and HEAD) /open-data/<file>: the catalogue and the files it lists, public like the
 * published content they hold. Bodies are streams: records are read a page at a time and
 * written as they come, so a large knowledge base never sits in memory.
 */
export function registerOpenData(strapi: Core.Strapi): void {
  if (!openDataContactEmail() && process.env.NODE_ENV === 'production')
    strapi.log.warn('[open-data] OPEN_DATA_CONTACT_EMAIL is not set: the catalogue names no contact e-mail, which DCAT-AP_IT requires.');
  strapi.server.routes([
    {
      method: 'GET',
      path: '/open-data/:file',
      config: { auth: false },
      handler: async (ctx) => {
        const names = openDataFileNames(openDataTypes(strapi).map((t) => t.plural));
        const file = openDataFiles(strapi).get((ctx.params as { file: string }).file);
        if (!file) return ctx.notFound(`No such open-data file. Available: ${names.join(', ')}.`);
        const version = await openDataVersion(strapi);
        ctx.set('ETag', version.etag);
        if (version.lastModified) ctx.lastModified = version.lastModified;
        ctx.set('Cache-Control', 'public, no-cache');
        ctx.set('Access-Control-Allow-Origin', '*');
        // Not Koa's ctx.fresh: it answers 200 to a revalidation that says `Cache-Control: no-cache`.
        if (isNotModified({ ifNoneMatch: ctx.get('if-none-match'), ifModifiedSince: ctx.get('if-modified-since') }, version)) {
          ctx.status = 304;
          return;
        }
        ctx.status = 200;
        ctx.type = file.contentType;
        ctx.body = Readable.from(file.chunks());
      },
    },
  ]);
}
