/**
 * The static snapshot's pages: plain HTML with relative links only, so that the site works
 * opened from disk (file://) or from any static host, and loads nothing from anywhere else.
 * Pure: records and labels go in, page text comes out; the adapter (index.ts) writes the files.
 */
import { CONTENT_LOCALES, type Locale } from '../../content/locales/core';
export const LOCALES: Locale[] = CONTENT_LOCALES.map((locale) => locale.code);
type Rec = Record<string, any>;

export const escapeHtml = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON inside a <script> element: `<` escaped, so no text in it can close the element. */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028|\u2029/g, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));

const UI = {
  it: {
    skip: 'Vai al contenuto',
    home: 'Base di conoscenza Com.In.4.0',
    search: 'Cerca nella base di conoscenza',
    searchButton: 'Cerca',
    noScript: 'La ricerca richiede JavaScript; gli elenchi qui sotto funzionano anche senza.',
    results: (n: number) => (n === 1 ? '1 risultato' : `${n} risultati`),
    types: 'Tipi di scheda',
    other: 'English',
    otherLocale: 'en',
    licence: 'Licenza e riuso',
    recordLicence: 'Licenza',
    source: 'Fonte',
    onThis: 'Schede collegate',
    openData: 'Dati aperti (JSON-LD, CSV, catalogo DCAT-AP_IT)',
    snapshot: 'Copia statica della base di conoscenza: funziona senza server.',
  },
  en: {
    skip: 'Skip to content',
    home: 'Com.In.4.0 knowledge base',
    search: 'Search the knowledge base',
    searchButton: 'Search',
    noScript: 'Search needs JavaScript; the lists below work without it.',
    results: (n: number) => (n === 1 ? '1 result' : `${n} results`),
    types: 'Kinds of record',
    other: 'Italiano',
    otherLocale: 'it',
    licence: 'Licence and reuse',
    recordLicence: 'Licence',
    source: 'Source',
    onThis: 'Related records',
    openData: 'Open data (JSON-LD, CSV, DCAT-AP_IT catalogue)',
    snapshot: 'Static copy of the knowledge base: it works without a server.',
  },
};

/** From a page `depth` folders below the snapshot's root back up to it. */
export const rootOf = (depth: number) => '../'.repeat(depth);

export const recordPath = (locale: string, plural: string, slug: string) => `${locale}/${plural}/${encodeURIComponent(slug)}.html`;

interface Layout {
  locale: Locale;
  depth: number;
  title: string;
  body: string;
  /** The same page in the other language, relative to the root; none when it does not exist. */
  alternate?: string;
  head?: string;
  search?: boolean;
}

export function layout({ locale, depth, title, body, alternate, head = '', search = false }: Layout): string {
  const ui = UI[locale];
  const root = rootOf(depth);
  const other = alternate ? `<a href="${root}${alternate}" hreflang="${ui.otherLocale}" lang="${ui.otherLocale}">${ui.other}</a>` : '';
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – ${ui.home}</title>
<link rel="stylesheet" href="${root}assets/style.css">
${head}</head>
<body>
<a class="skip" href="#main">${ui.skip}</a>
<header>
<nav aria-label="${ui.home}"><a href="${root}${locale}/index.html">${ui.home}</a> · <a href="${root}${locale}/licence.html">${ui.licence}</a> ${other}</nav>
</header>
<main id="main">
${body}
</main>
<footer><p>${ui.snapshot} <a href="${root}open-data/catalog.jsonld">${ui.openData}</a></p></footer>
${search ? `<script src="${root}assets/search-index.js"></script>\n<script src="${root}assets/search.js"></script>` : ''}
</body>
</html>
`;
}

/** The search form; assets/search.js fills the results list from the prebuilt index. */
export function searchForm(locale: Locale | 'all', depth: number): string {
  const ui = UI[locale === 'all' ? 'it' : locale];
  const label = locale === 'all' ? `${UI.it.search} / ${UI.en.search}` : ui.search;
  return `<form class="search" role="search" data-locale="${locale}" data-root="${rootOf(depth)}">
<label for="q">${label}</label>
<input id="q" name="q" type="search" autocomplete="off">
<button type="submit">${locale === 'all' ? `${UI.it.searchButton} / ${UI.en.searchButton}` : ui.searchButton}</button>
<noscript><p>${ui.noScript}</p></noscript>
</form>
<p id="search-status" role="status" aria-live="polite"></p>
<ul id="search-results"></ul>`;
}

export interface Link {
  href: string;
  text: string;
}
const linkList = (links: Link[], depth: number) =>
  `<ul>${links.map((l) => `<li><a href="${rootOf(depth)}${l.href}">${escapeHtml(l.text)}</a></li>`).join('')}</ul>`;

/** A section of a record page: a heading and text paragraphs, facts, or links to other records. */
export type Section =
  | { kind: 'text'; label: string; text: string }
  | { kind: 'facts'; label?: string; facts: [string, string][] }
  | { kind: 'links'; label: string; links: Link[] };

const paragraphs = (text: string) =>
  text
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, '<br>')}</p>`)
    .join('\n');

function section(s: Section, depth: number): string {
  if (s.kind === 'text') return `<section><h2>${escapeHtml(s.label)}</h2>\n${paragraphs(s.text)}</section>`;
  if (s.kind === 'links') return `<section><h2>${escapeHtml(s.label)}</h2>\n${linkList(s.links, depth)}</section>`;
  const rows = s.facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('');
  return `<section>${s.label ? `<h2>${escapeHtml(s.label)}</h2>` : ''}<dl>${rows}</dl></section>`;
}

export interface RecordPage {
  locale: Locale;
  typeName: string;
  typeIndex: string;
  title: string;
  summary?: string;
  sections: Section[];
  licence: string;
  jsonLd: object;
  alternate?: string;
}

/** One record's page (two folders deep: <locale>/<plural>/), with its JSON-LD embedded. */
export function recordPage(page: RecordPage): string {
  const ui = UI[page.locale];
  const depth = 2;
  const body = `<p class="kind"><a href="${rootOf(depth)}${page.typeIndex}">${escapeHtml(page.typeName)}</a></p>
<h1>${escapeHtml(page.title)}</h1>
${page.summary ? `<p class="summary">${escapeHtml(page.summary)}</p>` : ''}
${page.sections.map((s) => section(s, depth)).join('\n')}
<p class="licence">${ui.recordLicence}: <a href="${rootOf(depth)}${page.locale}/licence.html">${escapeHtml(page.licence)}</a></p>`;
  return layout({
    locale: page.locale,
    depth,
    title: page.title,
    body,
    alternate: page.alternate,
    head: `<script type="application/ld+json">${scriptJson(page.jsonLd)}</script>\n`,
  });
}

/** A list of records (a type's index), two folders deep like the records it lists. */
export function listPage(locale: Locale, title: string, links: Link[], alternate?: string): string {
  return layout({ locale, depth: 2, title, body: `<h1>${escapeHtml(title)}</h1>\n${linkList(links, 2)}`, alternate });
}

/** A language's home page: search and the kinds of record with their counts. */
export function homePage(locale: Locale, types: { title: string; href: string; count: number }[]): string {
  const ui = UI[locale];
  const body = `<h1>${ui.home}</h1>
${searchForm(locale, 1)}
<h2>${ui.types}</h2>
${linkList(
  types.map((t) => ({ href: t.href, text: `${t.title} (${t.count})` })),
  1,
)}`;
  return layout({ locale, depth: 1, title: ui.home, body, alternate: `${ui.otherLocale}/index.html`, search: true });
}

/** The snapshot's entrance: both languages, and a search over both. */
export function rootPage(): string {
  const body = `<h1>${UI.it.home} / ${UI.en.home}</h1>
<ul class="languages"><li><a href="it/index.html" lang="it">Italiano</a></li><li><a href="en/index.html" lang="en">English</a></li></ul>
${searchForm('all', 0)}`;
  return layout({ locale: 'it', depth: 0, title: `${UI.it.home} / ${UI.en.home}`, body, search: true });
}

const LICENCE_TEXT: Record<Locale, (counts: [string, number][]) => string> = {
  it: (counts) => `<h1>Licenza e riuso</h1>
<p>Ogni scheda indica la propria licenza e la propria fonte. Chi riusa i contenuti deve rispettare la licenza della scheda che riusa.</p>
<h2>CC-BY-4.0 – i contenuti del progetto</h2>
<p>I contenuti del progetto Com.In.4.0 sono sotto licenza <a href="https://creativecommons.org/licenses/by/4.0/deed.it">Creative Commons Attribuzione 4.0 Internazionale</a>. Puoi copiarli, ridistribuirli, tradurli, adattarli e usarli per qualsiasi fine, anche commerciale, a condizione di <strong>citare la fonte</strong> (il progetto Com.In.4.0 e la fonte indicata nella scheda), di indicare il link alla licenza e di dire se hai apportato modifiche. Non puoi aggiungere condizioni che impediscano ad altri di fare ciò che la licenza consente.</p>
<h2>CC0-1.0 – i dati sintetici</h2>
<p>Le schede sintetiche (fonte «Synthetic data», identificativi <code>synthetic-…</code>), create solo per le prove di carico, sono dedicate al pubblico dominio con <a href="https://creativecommons.org/publicdomain/zero/1.0/deed.it">CC0 1.0</a>: puoi farne qualsiasi uso senza chiedere permesso e senza citare la fonte. Non descrivono fatti reali.</p>
<h2>Schede per licenza</h2>
<ul>${counts.map(([licence, n]) => `<li>${escapeHtml(licence)}: ${n}</li>`).join('')}</ul>`,
  en: (counts) => `<h1>Licence and reuse</h1>
<p>Every record states its own licence and its source. Whoever reuses the content must respect the licence of the record they reuse.</p>
<h2>CC-BY-4.0 – the project's content</h2>
<p>The content of the Com.In.4.0 project is licensed under <a href="https://creativecommons.org/licenses/by/4.0/">Creative Commons Attribution 4.0 International</a>. You may copy, redistribute, translate, adapt and use it for any purpose, commercial ones included, provided that you <strong>give credit</strong> (the Com.In.4.0 project and the source named in the record), link to the licence and say whether you made changes. You may not add terms that stop others from doing what the licence allows.</p>
<h2>CC0-1.0 – synthetic data</h2>
<p>Synthetic records (source "Synthetic data", identifiers <code>synthetic-…</code>), made only for load tests, are dedicated to the public domain with <a href="https://creativecommons.org/publicdomain/zero/1.0/">CC0 1.0</a>: you may use them in any way without asking and without giving credit. They describe no real facts.</p>
<h2>Records by licence</h2>
<ul>${counts.map(([licence, n]) => `<li>${escapeHtml(licence)}: ${n}</li>`).join('')}</ul>`,
};

/** What the licences allow, with how many records of this language carry each. */
export const licencePage = (locale: Locale, counts: [string, number][]) =>
  layout({
    locale,
    depth: 1,
    title: UI[locale].licence,
    body: LICENCE_TEXT[locale](counts),
    alternate: `${UI[locale].otherLocale}/licence.html`,
  });

/** One entry of the search index: [locale, kind, title, summary, path from the root]. */
export type SearchEntry = [Locale, string, string, string, string];

/** Longest summary kept in the search index: enough to recognise a record, small enough for 100k. */
export const SEARCH_SUMMARY = 160;

export const searchEntry = (locale: Locale, kind: string, title: string, summary: string | undefined, path: string): SearchEntry => [
  locale,
  kind,
  title,
  (summary ?? '').length > SEARCH_SUMMARY ? `${summary!.slice(0, SEARCH_SUMMARY - 1)}…` : (summary ?? ''),
  path,
];

/**
 * The index as a script that assigns a global: browsers refuse fetch() of files from file://,
 * but load scripts. Written as a stream of entries by the adapter.
 */
export const SEARCH_INDEX_OPEN = 'window.KB_SEARCH_INDEX = [\n';
export const searchIndexLine = (entry: SearchEntry, first: boolean) => `${first ? '' : ',\n'}${JSON.stringify(entry)}`;
export const SEARCH_INDEX_CLOSE = '\n];\n';

/**
 * The search in the browser: every word typed must appear in the title or summary, accents and
 * case ignored; title matches first. Plain JS, no modules, so that it runs from file://.
 */
export const SEARCH_SCRIPT = `(function () {
  var form = document.querySelector('form.search');
  if (!form) return;
  var input = form.querySelector('input');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var locale = form.getAttribute('data-locale');
  var root = form.getAttribute('data-root');
  var messages = { it: function (n) { return n === 1 ? '1 risultato' : n + ' risultati'; }, en: function (n) { return n === 1 ? '1 result' : n + ' results'; } };
  var fold = function (s) { return s.normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').toLowerCase(); };
  var entries = (window.KB_SEARCH_INDEX || []).filter(function (e) { return locale === 'all' || e[0] === locale; }).map(function (e) {
    return { entry: e, title: fold(e[2]), text: fold(e[2] + ' ' + e[3]) };
  });
  function run() {
    var words = fold(input.value).split(/[^\\p{L}\\p{N}]+/u).filter(Boolean);
    list.innerHTML = '';
    if (!words.length) { status.textContent = ''; return; }
    var found = entries.filter(function (x) { return words.every(function (w) { return x.text.indexOf(w) >= 0; }); });
    found.sort(function (a, b) {
      var ta = words.every(function (w) { return a.title.indexOf(w) >= 0; }) ? 0 : 1;
      var tb = words.every(function (w) { return b.title.indexOf(w) >= 0; }) ? 0 : 1;
      return ta - tb || a.entry[2].localeCompare(b.entry[2]);
    });
    status.textContent = messages[locale === 'en' ? 'en' : 'it'](found.length);
    found.slice(0, 100).forEach(function (x) {
      var e = x.entry;
      var li = document.createElement('li');
      li.lang = e[0];
      var a = document.createElement('a');
      a.href = root + e[4];
      a.textContent = e[2];
      var kind = document.createElement('span');
      kind.className = 'kind';
      kind.textContent = ' – ' + e[1] + (locale === 'all' ? ' (' + e[0] + ')' : '');
      li.appendChild(a);
      li.appendChild(kind);
      if (e[3]) { var p = document.createElement('p'); p.textContent = e[3]; li.appendChild(p); }
      list.appendChild(li);
    });
  }
  form.addEventListener('submit', function (event) { event.preventDefault(); run(); });
  input.addEventListener('input', run);
})();
`;

export const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:0 auto;padding:0 1rem;color:#1a1a1a;background:#fff}
a{color:#0b4f9c}a:focus{outline:3px solid #f9a825}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
header,footer{border-bottom:1px solid #ccc;padding:.5rem 0}footer{border-top:1px solid #ccc;border-bottom:0;margin-top:2rem;font-size:.9rem}
.kind{color:#555}.summary{font-size:1.1rem}dt{font-weight:600}dd{margin:0 0 .5rem 0}
.search input{font-size:1rem;padding:.3rem;margin:0 .5rem}
`;

// ---------------------------------------------------------------- from a record to its page

export interface ModelAttribute {
  type: string;
  private?: boolean;
  target?: string;
  component?: string;
  repeatable?: boolean;
  mappedBy?: string;
}
export type Model = Record<string, ModelAttribute>;

/** Fields a page shows in its own places (heading, summary, licence) or never (bookkeeping). */
const NOT_SECTIONS = new Set([
  'id',
  'documentId',
  'slug',
  'locale',
  'localizations',
  'license',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'createdBy',
  'updatedBy',
]);
export const TITLE_FIELDS = ['title', 'name', 'fullName'];
export const SUMMARY_FIELDS = ['summary', 'description', 'scope', 'bio'];

export const titleOf = (record: Rec) => String(TITLE_FIELDS.map((f) => record[f]).find(Boolean) ?? record.slug);
export const summaryOf = (record: Rec, model: Model): string | undefined => {
  const field = SUMMARY_FIELDS.find((f) => model[f]);
  return field ? (record[field] ?? undefined) : undefined;
};

const humanise = (value: unknown) => String(value).replace(/_/g, ' ');
const plain = (value: unknown) => (typeof value === 'boolean' ? (value ? '✓' : '✗') : humanise(value));

export interface PageContext {
  locale: Locale;
  /** The field's label in the page's language. */
  label: (model: string, field: string) => string;
  /** The path from the root of a related record's page, when the snapshot has it. */
  hrefOf: (targetUid: string, related: Rec) => string | undefined;
}

/**
 * The sections of a record's page, in the content model's order: long texts as text sections,
 * relations as links, components as facts, other fields as facts. Private fields are never shown,
 * whatever the record carries.
 */
export function recordSections(uid: string, record: Rec, model: Model, components: Record<string, Model>, ctx: PageContext): Section[] {
  const sections: Section[] = [];
  const facts: [string, string][] = [];
  const summaryField = SUMMARY_FIELDS.find((f) => model[f]);
  const linkTo = (target: string, value: unknown): Link[] =>
    (Array.isArray(value) ? value : value ? [value] : []).flatMap((related: Rec) => {
      const href = ctx.hrefOf(target, related);
      return href ? [{ href, text: titleOf(related) }] : [];
    });
  for (const [field, attribute] of Object.entries(model)) {
    const value = record[field];
    if (attribute.private || NOT_SECTIONS.has(field) || TITLE_FIELDS.includes(field) || field === summaryField) continue;
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) continue;
    const label = ctx.label(uid, field);
    if (attribute.type === 'text' || attribute.type === 'richtext') sections.push({ kind: 'text', label, text: String(value) });
    else if (attribute.type === 'relation') {
      const links = linkTo(String(attribute.target), value);
      if (links.length) sections.push({ kind: 'links', label, links });
    } else if (attribute.type === 'media') {
      sections.push({ kind: 'facts', label, facts: (value as Rec[]).map((file) => [file.name, file.mime ?? '']) });
    } else if (attribute.type === 'component') {
      const inner = components[String(attribute.component)] ?? {};
      const items = (attribute.repeatable ? value : [value]) as Rec[];
      const lines = items.map((item) =>
        Object.entries(inner)
          .filter(([f, a]) => !a.private && item[f] !== null && item[f] !== undefined && item[f] !== '')
          .map(([f, a]) =>
            a.type === 'relation'
              ? linkTo(String(a.target), item[f])
                  .map((l) => l.text)
                  .join(', ')
              : plain(item[f]),
          )
          .filter(Boolean)
          .join(' · '),
      );
      sections.push({ kind: 'facts', label, facts: lines.filter(Boolean).map((line, i) => [items.length > 1 ? String(i + 1) : '', line]) });
    } else facts.push([label, plain(value)]);
  }
  return facts.length ? [{ kind: 'facts', facts }, ...sections] : sections;
}
