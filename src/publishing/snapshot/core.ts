/**
 * What only the static snapshot has: its entrance, a home page per language, and a search that
 * runs in the browser over a prebuilt index (there is no server to ask). Every other page is the
 * site's own (../site), written with links relative to the page so that the snapshot works
 * opened from disk (file://) or from any static host. Pure.
 */
import { PAGE_LOCALES } from '../../content/paths/core';
import type { Locale } from '../../content/locales/core';
import type { PublicType } from '../../content/model/core';
import { STATEMENTS, statementPath, typePath } from '../../content/paths/core';
import { STATEMENT_TITLES, UI, escapeHtml, layout, linkList, type LayoutOptions, type SiteContext } from '../site/core';

const TEXT = {
  it: {
    search: 'Cerca nella base di conoscenza',
    searchButton: 'Cerca',
    noScript: 'La ricerca richiede JavaScript; gli elenchi qui sotto funzionano anche senza.',
    types: 'Tipi di scheda',
    project: 'Il progetto',
    snapshot: 'Copia statica della base di conoscenza: funziona senza server.',
  },
  en: {
    search: 'Search the knowledge base',
    searchButton: 'Search',
    noScript: 'Search needs JavaScript; the lists below work without it.',
    types: 'Kinds of record',
    project: 'The project',
    snapshot: 'Static copy of the knowledge base: it works without a server.',
  },
};

/** The search scripts, from the snapshot's root. */
export const SEARCH_SCRIPTS = ['/assets/search-index.js', '/assets/search.js'];

/** The search form; assets/search.js fills the results list from the prebuilt index. */
export function searchForm(locale: Locale | 'all', root: string): string {
  const text = TEXT[locale === 'all' ? 'it' : locale];
  const label = locale === 'all' ? `${TEXT.it.search} / ${TEXT.en.search}` : text.search;
  return `<form class="search" role="search" data-locale="${locale}" data-root="${root}">
<label for="q">${label}</label>
<input id="q" name="q" type="search" autocomplete="off">
<button type="submit">${locale === 'all' ? `${TEXT.it.searchButton} / ${TEXT.en.searchButton}` : text.searchButton}</button>
<noscript><p>${text.noScript}</p></noscript>
</form>
<p id="search-status" role="status" aria-live="polite"></p>
<ul id="search-results"></ul>`;
}

const homeAlternates = Object.fromEntries(PAGE_LOCALES.map((l) => [l, `/${l}`]));

/** A language's home page: search, the kinds of record with their counts, the statements. */
export function homePage(site: SiteContext, options: LayoutOptions, counts: Partial<Record<PublicType, number>>): string {
  const { locale, links } = site;
  const text = TEXT[locale];
  const kinds = (Object.keys(options.typeNames) as PublicType[]).map((type) => ({
    path: typePath(locale, type),
    text: `${options.typeNames[type]} (${counts[type] ?? 0})`,
  }));
  const body = `<h1>${UI[locale].siteName}</h1>
<p>${text.snapshot}</p>
${searchForm(locale, links.page('/').replace(/index\.html$/, ''))}
${site.project ? `<h2>${text.project}</h2>\n${linkList(links, [site.project])}` : ''}
<h2>${text.types}</h2>
${linkList(links, kinds)}
${linkList(
  links,
  STATEMENTS.map((s) => ({ path: statementPath(locale, s), text: STATEMENT_TITLES[locale][s] })),
)}`;
  return layout(site, { path: `/${locale}`, title: UI[locale].siteName, alternates: homeAlternates, unlisted: true }, body, {
    ...options,
    scripts: SEARCH_SCRIPTS,
  });
}

/** The snapshot's entrance: both languages, and a search over both. */
export function rootPage(site: SiteContext, options: LayoutOptions): string {
  const body = `<h1>${UI.it.siteName} / ${UI.en.siteName}</h1>
<ul class="links languages">${PAGE_LOCALES.map((l) => `<li><a href="${site.links.page(`/${l}`)}" lang="${l}">${escapeHtml(UI[l].languageName)}</a></li>`).join('')}</ul>
${searchForm('all', '')}`;
  return layout(site, { path: '/', title: `${UI.it.siteName} / ${UI.en.siteName}`, alternates: {}, unlisted: true }, body, {
    ...options,
    scripts: SEARCH_SCRIPTS,
  });
}

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
