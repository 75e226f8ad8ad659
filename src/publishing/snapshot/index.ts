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
export async function writeSnapshot(strapi: Core.Strapi, dir: string, { log = () => undefined }: { log?: Log } = {}): Promise<SnapshotReport> {
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

async function writeSite(strapi: Core.Strapi, root: string, log: Log): Promise<Omit<SnapshotReport, 'seconds'>> {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const types = openDataTypes(strapi);
  const pluralOf = new Map<string, string>(types.map((t) => [t.uid, t.plural]));
  const components = Object.fromEntries(Object.keys(strapi.components).map((name) => [name, modelOf(strapi, name)]));
  const baseUrl = publicUrl(strapi);
  const writeFile = (relative: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), text);
  };

  // Which pages there will be, so that no link (to a related record, to the other language) is broken.
  const exists = new Set<string>();
  for (const { uid, plural } of types) {
    const rows = await strapi.db.query(uid as any).findMany({ where: { publishedAt: { $notNull: true } }, select: ['slug', 'locale'] });
    for (const row of rows) exists.add(recordPath(row.locale, plural, row.slug));
  }
  const hrefOf = (locale: Locale) => (targetUid: string, related: Rec) => {
    const plural = pluralOf.get(targetUid);
    const href = plural && related.slug ? recordPath(related.locale ?? locale, plural, related.slug) : undefined;
    return href && exists.has(href) ? href : undefined;
  };

  writeFile('assets/style.css', STYLE);
  writeFile('assets/search.js', SEARCH_SCRIPT);
  const search = fs.createWriteStream(path.join(root, 'assets/search-index.js'));
  await write(search, SEARCH_INDEX_OPEN);
  let firstEntry = true;

  const lists = new Map<string, Link[]>();
  const pointedAt = new Map<string, Map<string, Link[]>>();
  const licences: Record<Locale, Map<string, number>> = { it: new Map(), en: new Map() };
  let pages = 0;

  for (const { type, uid, plural } of types) {
    const model = modelOf(strapi, uid);
    const typeTitle = (settings.datasets as Record<string, { title: Record<Locale, string> }>)[type].title;
    const typeName = FIELD_GUIDE.models[uid]?.name ?? typeTitle;
    for (const locale of LOCALES) {
      const label = (model: string, field: string) => fieldLabel(model, field, locale);
      const ctx = { locale, label, hrefOf: hrefOf(locale) };
      const listed: Link[] = [];
      for await (const record of publishedRecords(strapi, uid, locale, JSON_LD_TYPES[uid].populate)) {
        const own = recordPath(locale, plural, record.slug);
        const other = recordPath(locale === 'it' ? 'en' : 'it', plural, record.slug);
        const sections = recordSections(uid, record, model, components, ctx);
        const title = titleOf(record);
        const link = { href: own, text: title };
        if (INDEXED_BY.has(uid)) {
          for (const [kind, links] of pointedAt.get(own) ?? []) {
            sections.push({ kind: 'links', label: kind, links: links.sort((a, b) => a.text.localeCompare(b.text)) });
          }
        }
        writeFile(
          own,
          recordPage({
            locale,
            typeName: typeName[locale],
            typeIndex: `${locale}/${plural}/index.html`,
            title,
            summary: summaryOf(record, model),
            sections,
            licence: record.license ?? '',
            jsonLd: toJsonLd(uid, record, { baseUrl, locale }),
            alternate: exists.has(other) ? other : undefined,
          })
        );
        pages += 1;
        listed.push(link);
        licences[locale].set(record.license, (licences[locale].get(record.license) ?? 0) + 1);
        await write(search, searchIndexLine(searchEntry(locale, typeName[locale], title, summaryOf(record, model), own), firstEntry));
        firstEntry = false;
        // This record on the pages of the themes and territories it is about.
        for (const [field, attribute] of Object.entries(model)) {
          if (attribute.type !== 'relation' || !INDEXED_BY.has(String(attribute.target)) || attribute.private) continue;
          for (const related of ([] as Rec[]).concat(record[field] ?? [])) {
            const href = hrefOf(locale)(String(attribute.target), related);
            if (!href) continue;
            const byKind = pointedAt.get(href) ?? new Map<string, Link[]>();
            byKind.set(typeTitle[locale], [...(byKind.get(typeTitle[locale]) ?? []), link]);
            pointedAt.set(href, byKind);
          }
        }
        if (listed.length % 1000 === 0) log(`[snapshot] ${plural} (${locale}): ${listed.length} pages`);
      }
      lists.set(`${locale}/${plural}`, listed);
      log(`[snapshot] ${plural} (${locale}): ${listed.length} pages`);
    }
  }
  await write(search, SEARCH_INDEX_CLOSE);
  await new Promise((resolve, reject) => search.end((error?: Error | null) => (error ? reject(error) : resolve(undefined))));

  for (const locale of LOCALES) {
    const other = locale === 'it' ? 'en' : 'it';
    const home = types.map(({ type, plural }) => {
      const title = (settings.datasets as Record<string, { title: Record<Locale, string> }>)[type].title[locale];
      const links = (lists.get(`${locale}/${plural}`) ?? []).sort((a, b) => a.text.localeCompare(b.text));
      writeFile(`${locale}/${plural}/index.html`, listPage(locale, title, links, `${other}/${plural}/index.html`));
      return { title, href: `${locale}/${plural}/index.html`, count: links.length };
    });
    writeFile(`${locale}/index.html`, homePage(locale, home));
    writeFile(`${locale}/licence.html`, licencePage(locale, [...licences[locale].entries()].sort()));
    pages += types.length + 2;
  }
  writeFile('index.html', rootPage());
  log(`[snapshot] ${pages + 1} pages written (${elapsed()}); open data next`);

  const openData = path.join(root, 'open-data');
  fs.mkdirSync(openData, { recursive: true });
  const files = [...openDataFiles(strapi, baseUrl).values()];
  for (const file of files) {
    await writeOpenDataFile(file, openData);
    log(`[snapshot] open-data/${file.name} (${elapsed()})`);
  }
  return { pages: pages + 1, files: files.length };
}
