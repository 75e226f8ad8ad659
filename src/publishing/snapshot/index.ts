import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { openDataFiles, writeOpenDataFile } from '../open-data';
import { SitePages, typeNames } from '../site';
import { pageFile, snapshotLinks } from '../site/core';
import { PAGE_LOCALES, STYLESHEET_PATH, TOKENS_PATH, pageAddress } from '../../content/paths/core';
import type { PublicType } from '../../content/model/core';
import type { Locale } from '../../content/locales/core';
import { SEARCH_INDEX_CLOSE, SEARCH_INDEX_OPEN, SEARCH_SCRIPT, homePage, rootPage, searchEntry, searchIndexLine } from './core';

type Log = (line: string) => void;

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
 * empty): the site's pages (../site: a page per record and language, the statements, the lists)
 * as `<path>/index.html`, a home page per language with a search over a prebuilt index, and the
 * open-data files. Records are read a page at a time; what stays in memory is the sitemap of
 * the site. It is written beside `dir` first and moved into place at the end: a failure leaves
 * no half-written site.
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
    const report = await writeSite(strapi, work, log, started);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(work, target);
    return { ...report, seconds: (Date.now() - started) / 1000 };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The site's pages, then the home pages and the entrance, then the open data. */
async function writeSite(strapi: Core.Strapi, root: string, log: Log, started: number): Promise<Omit<SnapshotReport, 'seconds'>> {
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const writeFile = (relative: string, text: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), text);
  };
  for (const sheet of [TOKENS_PATH, STYLESHEET_PATH])
    writeFile(sheet.slice(1), fs.readFileSync(path.join(strapi.dirs.static.public, sheet)));
  writeFile('assets/search.js', SEARCH_SCRIPT);
  const search = await openSearchIndex(root);
  const site = new SitePages(strapi);
  const counts: Record<Locale, Partial<Record<PublicType, number>>> = { it: {}, en: {} };
  let pages = 0;
  for await (const entry of site.pages()) {
    for (const locale of PAGE_LOCALES) {
      const at = entry[locale];
      const address = at && pageAddress(at);
      if (!address) continue;
      const links = snapshotLinks(at);
      let html: string;
      if (address.kind === 'record') {
        const record = await site.record(locale, address.type, address.slug, links);
        if (!record) continue;
        html = record.html;
        counts[locale][address.type] = (counts[locale][address.type] ?? 0) + 1;
        await search.add(searchEntry(locale, record.typeName, record.title, record.summary, pageFile(at)));
      } else if (address.kind === 'list') html = await site.list(locale, address.type, links);
      else html = await site.statement(locale, address.statement, links);
      writeFile(pageFile(at), html);
      pages += 1;
      if (pages % 1000 === 0) log(`[snapshot] ${pages} pages (${elapsed()})`);
    }
  }
  await search.close();
  for (const locale of PAGE_LOCALES) {
    for (const [type, n] of Object.entries(counts[locale])) log(`[snapshot] ${type} (${locale}): ${n} pages`);
    const home = `/${locale}`;
    writeFile(pageFile(home), homePage(await site.context(locale, snapshotLinks(home)), { typeNames: typeNames(locale) }, counts[locale]));
  }
  writeFile(pageFile('/'), rootPage(await site.context('it', snapshotLinks('/')), { typeNames: typeNames('it') }));
  pages += PAGE_LOCALES.length + 1;
  log(`[snapshot] ${pages} pages written (${elapsed()}); open data next`);
  const files = await writeOpenData(strapi, root, log, elapsed);
  return { pages, files };
}

/** The search over every record page, written as the pages are (one line each, memory stays flat). */
interface SearchIndex {
  add: (entry: ReturnType<typeof searchEntry>) => Promise<void>;
  close: () => Promise<void>;
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

/** The open-data files, as /open-data/ serves them. Returns how many. */
async function writeOpenData(strapi: Core.Strapi, root: string, log: Log, elapsed: () => string): Promise<number> {
  const openData = path.join(root, 'open-data');
  fs.mkdirSync(openData, { recursive: true });
  const files = [...openDataFiles(strapi).values()];
  for (const file of files) {
    await writeOpenDataFile(file, openData);
    log(`[snapshot] open-data/${file.name} (${elapsed()})`);
  }
  return files.length;
}
