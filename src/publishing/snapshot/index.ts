import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { FIELD_GUIDE, fieldLabel } from '../../content/labels/core';
import { JSON_LD_TYPES, toJsonLd } from '../../public-api/json-ld/core';
import { openDataFiles, openDataTypes, publicUrl, publishedRecords, writeOpenDataFile } from '../open-data';
import settings from '../../../data/open-data/catalog.json';
import {
  LOCALES,
  SEARCH_INDEX_CLOSE,
  SEARCH_INDEX_OPEN,
  SEARCH_SCRIPT,
  STYLE,
  homePage,
  licencePage,
  listPage,
  recordPage,
  recordPath,
  recordSections,
  rootPage,
  searchEntry,
  searchIndexLine,
  summaryOf,
  titleOf,
  type Link,
  type Model,
} from './core';
import type { Locale } from '../../content/locales/core';

type Rec = Record<string, any>;
type Log = (line: string) => void;

/** Types whose pages list the records that point to them: the index pages per theme and territory. */
const INDEXED_BY = new Set(['api::theme.theme', 'api::territory.territory']);

const modelOf = (strapi: Core.Strapi, uid: string) => strapi.getModel(uid as any).attributes as unknown as Model;

/** Writes text to a stream, waiting when its buffer is full, so memory stays flat. */
async function write(stream: fs.WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
}

export interface SnapshotReport {
  pages: number;
  files: number;
  seconds: number;
}

/**
 * Writes the static website of the published knowledge into `dir` (which must not exist or be
 * empty): a page per record and language with its JSON-LD, index pages per type, theme and
 * territory, a search over a prebuilt index, the licence page and the open-data files. Records are
 * read a page at a time; what stays in memory is one short line per record (lists, search,
 * links). It is written beside `dir` first and moved into place at the end: a failure leaves no
 * half-written site.
 */
export async function writeSnapshot(
  strapi: Core.Strapi,
  dir: string,
  { log = () => undefined }: { log?: Log } = {},
): Promise<SnapshotReport> {
  const started = Date.now();
  const target = path.resolve(dir);
  if (fs.existsSync(target) && fs.readdirSync(target).length) {
    throw new Error(`${target} is not empty: give a new folder (or empty this one) for the snapshot.`);
  }
  const work = `${target}.partial-${process.pid}`;
  fs.rmSync(work, { recursive: true, force: true });
  try {
    const report = await writeSite(strapi, work, log);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(work, target);
    return { ...report, seconds: (Date.now() - started) / 1000 };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** What every step of writing the site shares: where it goes, and which record pages it will have. */
interface Site {
  root: string;
  types: ReturnType<typeof openDataTypes>;
  baseUrl: string;
  log: Log;
  /** Seconds since writing began, for the log. */
  elapsed: () => string;
  components: Record<string, Model>;
  writeFile: (relative: string, text: string) => void;
  /** Whether the site has this page. */
  has: (href: string) => boolean;
  /** The page of a related record in `locale`, when the site has it: no link is ever broken. */
  hrefOf: (locale: Locale) => (targetUid: string, related: Rec) => string | undefined;
}

/** The records of the themes and territories, per page and kind: the back-links those pages list. */
type BackLinks = Map<string, Map<string, Link[]>>;

/** The search over every record page, written as the pages are (one line each, memory stays flat). */
interface SearchIndex {
  add: (entry: ReturnType<typeof searchEntry>) => Promise<void>;
  close: () => Promise<void>;
}

/** The site in steps: plan it, the record pages (search and back-links gathered with them), the index pages, the open data. */
async function writeSite(strapi: Core.Strapi, root: string, log: Log): Promise<Omit<SnapshotReport, 'seconds'>> {
  const site = await planSite(strapi, root, log);
  site.writeFile('assets/style.css', STYLE);
  site.writeFile('assets/search.js', SEARCH_SCRIPT);
  const search = await openSearchIndex(root);
  const backLinks: BackLinks = new Map();
  const lists = new Map<string, Link[]>();
  const licences: Record<Locale, Map<string, number>> = { it: new Map(), en: new Map() };
  for (const type of site.types) {
    for (const locale of LOCALES) {
      const listed = await writeRecordPages(strapi, site, type, locale, { search, backLinks, licences });
      lists.set(`${locale}/${type.plural}`, listed);
      log(`[snapshot] ${type.plural} (${locale}): ${listed.length} pages`);
    }
  }
  await search.close();
  const recordPages = [...lists.values()].reduce((sum, listed) => sum + listed.length, 0);
  const pages = recordPages + writeIndexPages(site, lists, licences);
  log(`[snapshot] ${pages} pages written (${site.elapsed()}); open data next`);
  const files = await writeOpenData(strapi, site);
  return { pages, files };
}

/** The site's shared settings, and which record pages there will be (so that no link is broken). */
async function planSite(strapi: Core.Strapi, root: string, log: Log): Promise<Site> {
  const started = Date.now();
  const types = openDataTypes(strapi);
  const pluralOf = new Map<string, string>(types.map((t) => [t.uid, t.plural]));
  const exists = new Set<string>();
  for (const { uid, plural } of types) {
    const rows = await strapi.db.query(uid as any).findMany({ where: { publishedAt: { $notNull: true } }, select: ['slug', 'locale'] });
    for (const row of rows) exists.add(recordPath(row.locale, plural, row.slug));
  }
  return {
    root,
    types,
    baseUrl: publicUrl(strapi),
    log,
    components: Object.fromEntries(Object.keys(strapi.components).map((name) => [name, modelOf(strapi, name)])),
    elapsed: () => `${((Date.now() - started) / 1000).toFixed(1)} s`,
    writeFile: (relative, text) => {
      fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      fs.writeFileSync(path.join(root, relative), text);
    },
    has: (href) => exists.has(href),
    hrefOf: (locale) => (targetUid, related) => {
      const plural = pluralOf.get(targetUid);
      const href = plural && related.slug ? recordPath(related.locale ?? locale, plural, related.slug) : undefined;
      return href && exists.has(href) ? href : undefined;
    },
  };
}

async function openSearchIndex(root: string): Promise<SearchIndex> {
  const stream = fs.createWriteStream(path.join(root, 'assets/search-index.js'));
  await write(stream, SEARCH_INDEX_OPEN);
  let first = true;
  return {
    async add(entry) {
      await write(stream, searchIndexLine(entry, first));
      first = false;
    },
    async close() {
      await write(stream, SEARCH_INDEX_CLOSE);
      await new Promise((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve(undefined))));
    },
  };
}

/**
 * The pages of one type's records in one locale, each added to the search and to the back-links
 * of the themes and territories it is about; returns the links for the type's list page. Theme
 * and territory pages list the back-links gathered so far: their types come last.
 */
async function writeRecordPages(
  strapi: Core.Strapi,
  site: Site,
  { type, uid, plural }: Site['types'][number],
  locale: Locale,
  { search, backLinks, licences }: { search: SearchIndex; backLinks: BackLinks; licences: Record<Locale, Map<string, number>> },
): Promise<Link[]> {
  const model = modelOf(strapi, uid);
  const typeTitle = datasetTitle(type);
  const typeName = FIELD_GUIDE.models[uid]?.name ?? typeTitle;
  const hrefOf = site.hrefOf(locale);
  const ctx = { locale, label: (model: string, field: string) => fieldLabel(model, field, locale), hrefOf };
  const listed: Link[] = [];
  for await (const record of publishedRecords(strapi, uid, locale, JSON_LD_TYPES[uid].populate)) {
    const own = recordPath(locale, plural, record.slug);
    const other = recordPath(locale === 'it' ? 'en' : 'it', plural, record.slug);
    const sections = recordSections(uid, record, model, site.components, ctx);
    const title = titleOf(record);
    const link = { href: own, text: title };
    if (INDEXED_BY.has(uid)) {
      for (const [kind, links] of backLinks.get(own) ?? []) {
        sections.push({ kind: 'links', label: kind, links: links.sort((a, b) => a.text.localeCompare(b.text)) });
      }
    }
    site.writeFile(
      own,
      recordPage({
        locale,
        typeName: typeName[locale],
        typeIndex: `${locale}/${plural}/index.html`,
        title,
        summary: summaryOf(record, model),
        sections,
        licence: record.license ?? '',
        jsonLd: toJsonLd(uid, record, { baseUrl: site.baseUrl, locale }),
        alternate: site.has(other) ? other : undefined,
      }),
    );
    listed.push(link);
    licences[locale].set(record.license, (licences[locale].get(record.license) ?? 0) + 1);
    await search.add(searchEntry(locale, typeName[locale], title, summaryOf(record, model), own));
    // This record on the pages of the themes and territories it is about.
    for (const [field, attribute] of Object.entries(model)) {
      if (attribute.type !== 'relation' || !INDEXED_BY.has(String(attribute.target)) || attribute.private) continue;
      for (const related of ([] as Rec[]).concat(record[field] ?? [])) {
        const href = hrefOf(String(attribute.target), related);
        if (!href) continue;
        const byKind = backLinks.get(href) ?? new Map<string, Link[]>();
        byKind.set(typeTitle[locale], [...(byKind.get(typeTitle[locale]) ?? []), link]);
        backLinks.set(href, byKind);
      }
    }
    if (listed.length % 1000 === 0) site.log(`[snapshot] ${plural} (${locale}): ${listed.length} pages`);
  }
  return listed;
}

/** Per locale: each type's list page, the home page and the licence page; then the root page. Returns how many. */
function writeIndexPages(site: Site, lists: Map<string, Link[]>, licences: Record<Locale, Map<string, number>>): number {
  for (const locale of LOCALES) {
    const other = locale === 'it' ? 'en' : 'it';
    const home = site.types.map(({ type, plural }) => {
      const title = datasetTitle(type)[locale];
      const links = (lists.get(`${locale}/${plural}`) ?? []).sort((a, b) => a.text.localeCompare(b.text));
      site.writeFile(`${locale}/${plural}/index.html`, listPage(locale, title, links, `${other}/${plural}/index.html`));
      return { title, href: `${locale}/${plural}/index.html`, count: links.length };
    });
    site.writeFile(`${locale}/index.html`, homePage(locale, home));
    site.writeFile(`${locale}/licence.html`, licencePage(locale, [...licences[locale].entries()].sort()));
  }
  site.writeFile('index.html', rootPage());
  return LOCALES.length * (site.types.length + 2) + 1;
}

/** The open-data files, as /open-data/ serves them. Returns how many. */
async function writeOpenData(strapi: Core.Strapi, site: Site): Promise<number> {
  const openData = path.join(site.root, 'open-data');
  fs.mkdirSync(openData, { recursive: true });
  const files = [...openDataFiles(strapi, site.baseUrl).values()];
  for (const file of files) {
    await writeOpenDataFile(file, openData);
    site.log(`[snapshot] open-data/${file.name} (${site.elapsed()})`);
  }
  return files.length;
}

/** A type's title in the open-data catalogue (data/open-data/catalog.json). */
const datasetTitle = (type: string) => (settings.datasets as Record<string, { title: Record<Locale, string> }>)[type].title;
