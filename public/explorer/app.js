// The explorer: a search with filters over the public GraphQL API, and one page per record.

import * as api from './api.js';
import { h } from './dom.js';
import { LOCALES, words } from './i18n.js';
import { LIST_TYPES, feedPath, href, pagePath, parseHash, pickLang, searchHash, statementPath } from './route.js';
import * as views from './views.js';

const TYPING_PAUSE_MS = 200;

const $ = (id) => document.getElementById(id);
const content = $('content');
const status = $('status');
const form = $('search-form');
const field = { q: $('q'), type: $('type'), theme: $('theme'), territory: $('territory'), group: $('group') };

let lang;
let running;
let rendered = '';
let lastSearch = '#/';
const options = new Map();

const at = (hash) => href(lang, hash);
const formState = () => Object.fromEntries(Object.entries(field).map(([key, input]) => [key, input.value.trim()]));

/** Fills a select with [value, label] pairs after its "all" option, keeping the chosen value. */
function fill(select, pairs, chosen) {
  select.replaceChildren(h('option', { value: '' }, words(lang).any), ...pairs.map(([value, label]) => h('option', { value }, label)));
  select.value = chosen;
}

/** The page's fixed words, language links and filter choices, in the reader's language. */
async function dress(route) {
  const w = words(lang);
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-word]')) el.textContent = w[el.dataset.word];
  for (const el of document.querySelectorAll('[data-word-footer]')) el.textContent = w.footer[el.dataset.wordFooter];
  for (const link of document.querySelectorAll('[data-lang]')) {
    link.href = href(link.dataset.lang, location.hash || '#/');
    if (link.dataset.lang === lang) link.setAttribute('aria-current', 'true');
    else link.removeAttribute('aria-current');
  }
  for (const link of document.querySelectorAll('[data-statement]')) link.href = statementPath(lang, link.dataset.statement);
  for (const link of document.querySelectorAll('[data-feed]')) link.href = feedPath(lang);
  const state = route.view === 'search' ? route : formState();
  const [{ themes, territories, project }, labels] = await Promise.all([loaded(), api.fieldLabels()]);
  // The header names the project and leads to its page.
  const projectLink = $('project-link');
  projectLink.hidden = !project;
  if (project) {
    projectLink.href = pagePath(lang, 'projects', project.slug);
    projectLink.textContent = views.projectName(project);
  }
  fill(
    field.type,
    LIST_TYPES.map((type) => [type, w.types[type][1]]),
    state.type,
  );
  fill(
    field.theme,
    themes.map((t) => [t.slug, t.name]),
    state.theme,
  );
  fill(
    field.territory,
    territories.map((t) => [t.slug, t.name]),
    state.territory,
  );
  const groups = labels['shared.target-group']?.group?.values ?? {};
  fill(
    field.group,
    Object.keys(groups)
      .map((code) => [code, views.codeName(labels, 'shared.target-group', 'group', code, lang)])
      .sort((a, b) => a[1].localeCompare(b[1], lang)),
    state.group,
  );
  // The search box is left alone while someone types in it.
  if (route.view === 'search' && document.activeElement !== field.q) field.q.value = route.q;
}

/**
 * The language's filter choices and project, read once: dress() and the home page wait for the
 * same read. It is never aborted (a later page needs it too); a failed read is tried again.
 */
function loaded() {
  if (!options.has(lang)) {
    const code = lang;
    options.set(
      code,
      api.loadOptions(code).catch((error) => {
        options.delete(code);
        throw error;
      }),
    );
  }
  return options.get(lang);
}

function setJsonLd(data) {
  document.getElementById('record-jsonld')?.remove();
  if (data) document.head.append(h('script', { type: 'application/ld+json', id: 'record-jsonld' }, JSON.stringify(data)));
}

async function show(route, signal) {
  const w = words(lang);
  const f = views.formatter(lang, w, at);
  if (route.view === 'search') {
    lastSearch = location.hash || '#/';
    document.title = route.q ? `${route.q} · ${w.siteTitle}` : w.siteTitle;
    if (route.q) return views.searchResults(f, route, await api.search(lang, route, signal));
    if (route.type) return views.listResults(f, route, api.typesFor(route).length ? await api.list(lang, route, signal) : null);
    const data = await api.overview(lang, route, signal);
    return views.overview(f, route, data, (await loaded()).project);
  }
  const [found, labels] =
    route.view === 'record' ? await Promise.all([api.record(lang, route.type, route.slug, signal), api.fieldLabels()]) : [];
  if (!found) {
    document.title = `${w.notFound} · ${w.siteTitle}`;
    return views.notFound(f, lastSearch);
  }
  document.title = `${found.title} · ${w.siteTitle}`;
  setJsonLd(found.jsonLd);
  return views.recordPage(f, route.type, found, lastSearch, labels);
}

/** Shows what the address asks for. `focus`: after a navigation, the new page's heading takes the focus. */
async function render({ focus = false } = {}) {
  lang = pickLang(location.search, navigator.languages ?? []);
  if (new URLSearchParams(location.search).get('lang') !== lang) history.replaceState(null, '', at(location.hash || '#/'));
  rendered = location.href;
  const route = parseHash(location.hash);
  running?.abort();
  const controller = new AbortController();
  running = controller;
  setJsonLd(null);
  content.setAttribute('aria-busy', 'true');
  status.textContent = words(lang).loading;
  try {
    const [, view] = await Promise.all([dress(route), show(route, controller.signal)]);
    if (controller.signal.aborted) return;
    content.replaceChildren(view);
    status.textContent = route.view === 'search' ? (content.querySelector('#results-heading')?.textContent ?? '') : '';
    if (focus) content.querySelector('h1, h2')?.focus();
  } catch (error) {
    if (controller.signal.aborted) return;
    const w = words(lang);
    const message = w.apiError(error.message || w.offline);
    status.textContent = '';
    content.replaceChildren(h('p', { className: 'error', role: 'alert' }, message));
  } finally {
    if (!controller.signal.aborted) content.removeAttribute('aria-busy');
  }
}

/** A search-state change from the form: typing replaces the history entry, a choice adds one. */
function searchFor(state, { replace }) {
  const hash = searchHash({ ...state, page: 1 });
  const url = at(hash);
  if (replace && parseHash(location.hash).view === 'search') history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render();
}

let typing;
field.q.addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(() => searchFor(formState(), { replace: true }), TYPING_PAUSE_MS);
});
for (const key of ['type', 'theme', 'territory', 'group'])
  field[key].addEventListener('change', () => searchFor(formState(), { replace: false }));
form.addEventListener('submit', (event) => {
  event.preventDefault();
  clearTimeout(typing);
  searchFor(formState(), { replace: false });
});
form.addEventListener('reset', (event) => {
  event.preventDefault();
  field.q.value = '';
  searchFor({}, { replace: false });
});
// The language switch keeps the page: the address changes, the page does not reload.
for (const link of document.querySelectorAll('[data-lang]')) {
  link.addEventListener('click', (event) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || !LOCALES.includes(link.dataset.lang)) return;
    event.preventDefault();
    history.pushState(null, '', link.href);
    render();
  });
}
// The skip link moves the focus; the hash is the explorer's address, so it stays as it is.
document.querySelector('.skip').addEventListener('click', (event) => {
  event.preventDefault();
  $('main').focus();
});
// Links within the explorer change the hash; back and forward change the address: either way, show it.
const follow = () => location.href !== rendered && render({ focus: true });
window.addEventListener('popstate', follow);
window.addEventListener('hashchange', follow);
render();
