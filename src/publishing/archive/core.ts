/**
 * The knowledge-base archive: a lossless, versioned backup that can be merged into any instance.
 * A tar.gz holding manifest.json, one JSON-lines file per content type (one line per stored
 * version: per locale, draft and published apart), media.jsonl and the media files themselves.
 * Pure: no Strapi here; the adapter (./index) reads and writes the database.
 */
import type { Attributes } from '../../content/model/core';
import { createHash } from 'crypto';
import { publishRefusal } from '../../editorial/curation/core';
import { CONSENT_REQUIRED } from '../../editorial/consent/core';
import { dateRangeErrors } from '../../editorial/validation/core';

export const ARCHIVE_FORMAT = 'comin40-knowledge-base-archive';
export const FORMAT_VERSION = 1;
export const MANIFEST = 'manifest.json';
export const MEDIA_LINES = 'media.jsonl';
/** Media bytes sit under this folder, named as the local upload provider names them. */
export const MEDIA_DIR = 'uploads';
export const recordsFile = (pluralName: string): string => `records/${pluralName}.jsonl`;

export interface Manifest {
  format: typeof ARCHIVE_FORMAT;
  formatVersion: number;
  /** Hash of the content types' and components' schemas the records follow (see contentModelVersion). */
  contentModel: string;
  createdAt: string;
  /** Per content type (plural API id): stored versions (lines) and documents. */
  counts: Record<string, { versions: number; documents: number }>;
  media: { files: number };
  /** Every file of the archive but the manifest: sha256 (hex) and size. */
  files: Record<string, { sha256: string; bytes: number }>;
}

export class ArchiveError extends Error {}

// ---------------------------------------------------------------------------------------------
// Canonical JSON and hashes

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * The content-model version: a hash of the schema.json of every archived content type and of
 * every component, as written in src/ (Strapi adds its own fields at load, which are not ours).
 */
export function contentModelVersion(schemas: { contentTypes: Record<string, unknown>; components: Record<string, unknown> }): string {
  return sha256(canonicalJson(schemas)).slice(0, 16);
}

// ---------------------------------------------------------------------------------------------
// The model as the archive sees it

export interface TypeModel {
  uid: string;
  pluralName: string;
  attributes: Attributes;
}

/** Bookkeeping kept beside `data` in a line (timestamps, locale, state) or not kept at all (admin users). */
const META = new Set(['documentId', 'slug', 'createdAt', 'updatedAt', 'publishedAt', 'createdBy', 'updatedBy', 'locale', 'localizations']);
const TO_ONE = new Set(['oneToOne', 'manyToOne']);

/**
 * The attributes a line carries. The other side of a two-way relation is left out: the link is
 * stored once, on the side that owns it (where `inversedBy` is), and restored from there.
 */
export const archivedFields = (attributes: Attributes): string[] =>
  Object.keys(attributes).filter((name) => !META.has(name) && !(attributes[name].type === 'relation' && attributes[name].mappedBy));

type Components = (uid: string) => Attributes;

/** The Query Engine populate that reads everything a line needs, components nested. */
export function populateFor(attributes: Attributes, component: Components): Record<string, unknown> {
  const populate: Record<string, unknown> = {};
  for (const name of archivedFields(attributes)) {
    const attribute = attributes[name];
    if (attribute.type === 'relation') populate[name] = { select: ['documentId', 'slug'] };
    else if (attribute.type === 'media') populate[name] = { select: ['hash'] };
    else if (attribute.type === 'component') {
      const nested = populateFor(component(attribute.component!), component);
      populate[name] = Object.keys(nested).length ? { populate: nested } : true;
    }
  }
  return populate;
}

// ---------------------------------------------------------------------------------------------
// Record <-> line

/** A relation target by its stable keys. */
export interface Ref {
  documentId: string;
  slug: string | null;
}

export interface Line {
  documentId: string;
  slug: string | null;
  locale: string | null;
  status: 'draft' | 'published';
  createdAt: string | null;
  updatedAt: string | null;
  publishedAt: string | null;
  /** Every archived field: scalars, components inline, relations as Ref, media as file hashes. */
  data: Record<string, unknown>;
}

type Row = Record<string, any>;

const iso = (value: unknown): string | null => (value == null || value === '' ? null : new Date(value as string).toISOString());

/** One value as both engines must agree on it (SQLite and PostgreSQL drivers differ on numbers, booleans, dates). */
export function scalar(type: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'datetime':
    case 'timestamp':
      return iso(value);
    case 'date':
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
    case 'time': {
      // SQLite gives back 09:00:00.000, PostgreSQL 09:00:00: one spelling, Strapi's.
      const match = /^(\d{2}):(\d{2})(?::(\d{2}))?(?:\.(\d{1,3}))?/.exec(String(value));
      return match ? `${match[1]}:${match[2]}:${match[3] ?? '00'}.${(match[4] ?? '').padEnd(3, '0')}` : String(value);
    }
    case 'integer':
    case 'float':
    case 'decimal':
      return Number(value);
    case 'biginteger':
      return String(value);
    case 'boolean':
      return value === true || value === 1 || value === '1' || value === 't' || value === 'true';
    case 'json':
    case 'blocks':
      return typeof value === 'string' ? JSON.parse(value) : value;
    default:
      return String(value);
  }
}

const ref = (target: Row | null | undefined): Ref | null => (target ? { documentId: target.documentId, slug: target.slug ?? null } : null);

/** The archived fields of a row (or a component), as a line's `data`. */
function dataOf(row: Row, attributes: Attributes, component: Components): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const name of archivedFields(attributes)) {
    const attribute = attributes[name];
    const value = row[name];
    if (attribute.type === 'relation') {
      data[name] = TO_ONE.has(attribute.relation!) ? ref(value) : ((value as Row[] | null) ?? []).map((target) => ref(target)!);
    } else if (attribute.type === 'media') {
      data[name] = attribute.multiple ? ((value as Row[] | null) ?? []).map((file) => file.hash) : (value?.hash ?? null);
    } else if (attribute.type === 'component') {
      const nested = component(attribute.component!);
      data[name] = attribute.repeatable
        ? ((value as Row[] | null) ?? []).map((item) => dataOf(item, nested, component))
        : value
          ? dataOf(value, nested, component)
          : null;
    } else data[name] = scalar(attribute.type, value);
  }
  return data;
}

/** A stored version (a Query Engine row, populated with populateFor) as an archive line. */
export function rowToLine(row: Row, attributes: Attributes, component: Components): Line {
  return {
    documentId: row.documentId,
    slug: row.slug ?? null,
    locale: row.locale ?? null,
    status: row.publishedAt ? 'published' : 'draft',
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    publishedAt: iso(row.publishedAt),
    data: dataOf(row, attributes, component),
  };
}

/** Lines of one document in archive order: by locale, the draft before the published version. */
export const lineOrder = (a: Pick<Line, 'locale' | 'status'>, b: Pick<Line, 'locale' | 'status'>): number =>
  String(a.locale).localeCompare(String(b.locale)) || (a.status === b.status ? 0 : a.status === 'draft' ? -1 : 1);

/** Columns a version writes directly (what is not a relation, a component or media). */
export function scalarData(line: Line, attributes: Attributes): Row {
  const row: Row = {
    slug: line.slug,
    locale: line.locale,
    createdAt: line.createdAt,
    updatedAt: line.updatedAt,
    publishedAt: line.publishedAt,
  };
  for (const name of archivedFields(attributes)) {
    if (!['relation', 'media', 'component'].includes(attributes[name].type)) row[name] = line.data[name];
  }
  return row;
}

/** Every relation reference in a value of `data` (components included), with the attribute that holds it. */
export function* refsIn(
  data: Record<string, unknown>,
  attributes: Attributes,
  component: Components,
): Generator<{ target: string; ref: Ref }> {
  for (const name of archivedFields(attributes)) {
    const attribute = attributes[name];
    const value = data[name];
    if (value == null) continue;
    if (attribute.type === 'relation') for (const one of [value].flat() as Ref[]) yield { target: attribute.target!, ref: one };
    else if (attribute.type === 'component') {
      for (const item of [value].flat() as Record<string, unknown>[]) yield* refsIn(item, component(attribute.component!), component);
    }
  }
}

/** `data` with every relation reference replaced by what `resolve` makes of it (components included). */
export function mapRefs<T>(
  data: Record<string, unknown>,
  attributes: Attributes,
  component: Components,
  resolve: (target: string, ref: Ref) => T,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of archivedFields(attributes)) {
    const attribute = attributes[name];
    const value = data[name];
    if (attribute.type === 'relation') {
      out[name] = Array.isArray(value)
        ? value.map((one) => resolve(attribute.target!, one))
        : value == null
          ? null
          : resolve(attribute.target!, value as Ref);
    } else if (attribute.type === 'component' && value != null) {
      const nested = component(attribute.component!);
      out[name] = Array.isArray(value)
        ? value.map((item) => mapRefs(item, nested, component, resolve))
        : mapRefs(value as Record<string, unknown>, nested, component, resolve);
    } else out[name] = value;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Checking what an archive holds

const STATUSES = new Set(['draft', 'published']);

/** What is wrong with a line's shape (a foreign or hand-edited archive); empty when nothing. */
export function lineProblems(line: unknown, attributes: Attributes): string[] {
  if (!line || typeof line !== 'object' || Array.isArray(line)) return ['not a record'];
  const l = line as Partial<Line>;
  const problems: string[] = [];
  if (typeof l.documentId !== 'string' || !l.documentId) problems.push('no documentId');
  if (!STATUSES.has(String(l.status))) problems.push(`status must be "draft" or "published", not ${JSON.stringify(l.status)}`);
  else if ((l.status === 'published') !== Boolean(l.publishedAt)) problems.push('status and publishedAt disagree');
  if (!l.data || typeof l.data !== 'object') return [...problems, 'no data'];
  const fields = new Set(archivedFields(attributes));
  const unknown = Object.keys(l.data).filter((name) => !fields.has(name));
  if (unknown.length) problems.push(`unknown fields ${unknown.join(', ')} (an archive of another content model?)`);
  const missing = [...fields].filter((name) => !(name in l.data!));
  if (missing.length) problems.push(`missing fields ${missing.join(', ')}`);
  return problems;
}

/**
 * Why a version may not be stored as it is: the rules the document service enforces on
 * publication (consent, curation) and on every save (date ranges), which a bulk write bypasses.
 */
export function publicationProblems(uid: string, line: Line, attributes: Attributes): string[] {
  const problems = dateRangeErrors(line.data, attributes).map((problem) => problem.message);
  if (line.status !== 'published') return problems;
  if (uid === 'api::person.person' && !line.data.consentToPublish) problems.push(CONSENT_REQUIRED);
  if (uid === 'api::good-practice.good-practice') {
    const refusal = publishRefusal(line.data.curationStatus);
    if (refusal) problems.push(refusal);
  }
  return problems;
}

/** The archive's own problems, before any record is read: format, version. */
export function manifestProblem(manifest: unknown): string | null {
  const m = manifest as Partial<Manifest> | null;
  if (!m || typeof m !== 'object' || m.format !== ARCHIVE_FORMAT) {
    return `This is not a Com.In.4.0 knowledge-base archive (its ${MANIFEST} does not say format "${ARCHIVE_FORMAT}"). Use a file written by npm run kb:export.`;
  }
  if (m.formatVersion !== FORMAT_VERSION) {
    return `Archive format version ${m.formatVersion} is not supported; this version of the knowledge base reads version ${FORMAT_VERSION}. Import it with the version of the knowledge base that wrote it.`;
  }
  if (typeof m.contentModel !== 'string' || !m.files || typeof m.files !== 'object' || !m.counts)
    return `${MANIFEST} is incomplete (contentModel, counts or files missing).`;
  return null;
}

/** Files whose checksum or size differ from the manifest, files it lists that are missing, files it does not list. */
export function checksumProblems(manifest: Manifest, found: Record<string, { sha256: string; bytes: number }>): string[] {
  const problems: string[] = [];
  for (const [name, expected] of Object.entries(manifest.files)) {
    const actual = found[name];
    if (!actual) problems.push(`${name} is missing`);
    else if (actual.sha256 !== expected.sha256 || actual.bytes !== expected.bytes) problems.push(`${name} does not match its checksum`);
  }
  for (const name of Object.keys(found)) if (!(name in manifest.files)) problems.push(`${name} is not listed in the manifest`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Content-model upgrades

/** Rewrites one line of an archive written with content model `from` into content model `to`. */
export interface UpgradeStep {
  from: string;
  to: string;
  /** What changed, for the import's report. */
  description: string;
  upgrade: (pluralName: string, line: Line) => Line;
}

/**
 * Registered upgrades, oldest first. The content model has had one version since archives
 * exist, so there is none yet: when a schema.json changes, add a step from the previous
 * contentModelVersion to the new one (rename a field, fill a new required one, ...).
 */
export const UPGRADES: UpgradeStep[] = [];

/** The steps that take an archive from `from` to `to`, or null when no chain of registered steps does. */
export function upgradePath(from: string, to: string, steps: UpgradeStep[] = UPGRADES): UpgradeStep[] | null {
  const path: UpgradeStep[] = [];
  let at = from;
  while (at !== to) {
    const step = steps.find((candidate) => candidate.from === at && !path.includes(candidate));
    if (!step) return null;
    path.push(step);
    at = step.to;
  }
  return path;
}

export const upgradeLine = (path: UpgradeStep[], pluralName: string, line: Line): Line =>
  path.reduce((current, step) => step.upgrade(pluralName, current), line);

export const modelRefusal = (archive: string, current: string): string =>
  `This archive was written with content model ${archive}, this instance has content model ${current}, and no upgrade step leads from one to the other. ` +
  `Import it into a knowledge base at the version that wrote it and export again from there after upgrading that instance, ` +
  `or add an upgrade step for ${archive} to UPGRADES in src/publishing/archive/core.ts.`;

// ---------------------------------------------------------------------------------------------
// Media

/** The media-library fields a file record keeps (not its folder, not the admin users who touched it). */
export const MEDIA_FIELDS = [
  'documentId',
  'name',
  'alternativeText',
  'caption',
  'focalPoint',
  'width',
  'height',
  'formats',
  'hash',
  'ext',
  'mime',
  'size',
  'url',
  'previewUrl',
  'provider',
  'provider_metadata',
  'locale',
  'createdAt',
  'updatedAt',
  'publishedAt',
] as const;

/** A media file as a line of media.jsonl, with the names of its bytes (the file and its resized formats). */
export function fileToLine(file: Row, attributes: Attributes): Row {
  const line: Row = {};
  for (const name of MEDIA_FIELDS)
    line[name] = name === 'documentId' ? file.documentId : scalar(attributes[name]?.type ?? 'string', file[name]);
  const urls = [file.url, ...Object.values((line.formats as Record<string, { url?: string }> | null) ?? {}).map((format) => format.url)];
  line.bytes = urls.filter((url): url is string => typeof url === 'string').map((url) => `${MEDIA_DIR}/${uploadName(url)}`);
  return line;
}

/** The file name of a local upload's url (/uploads/<name>); anything else is not held locally. */
export function uploadName(url: string): string {
  const match = /^\/uploads\/([^/]+)$/.exec(url);
  if (!match)
    throw new ArchiveError(
      `Media file ${url} is not stored by the local upload provider (public/uploads): only local media can be archived.`,
    );
  return match[1];
}

// ---------------------------------------------------------------------------------------------
// Reports

export type Change = 'created' | 'updated' | 'unchanged';
export type Report = Record<string, Record<Change, number>>;

export const tally = (report: Report, type: string, change: Change): void => {
  report[type] ??= { created: 0, updated: 0, unchanged: 0 };
  report[type][change] += 1;
};

export const reportLines = (report: Report): string[] =>
  Object.entries(report).map(([type, n]) => `${type}: ${n.created} created, ${n.updated} updated, ${n.unchanged} unchanged`);
