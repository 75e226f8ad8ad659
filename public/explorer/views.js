// What the explorer shows: search results, lists, the overview and one page per record.

import { LIST, PAGE_SIZE, typeOfSearchHit, typesFor } from './api.js';
import { figureChart } from './chart.js';
import { h } from './dom.js';
import { pagePath, searchHash } from './route.js';

// British English writes dates as the rest of Europe reads them: 26 September 2022.
const FORMAT_LOCALE = { it: 'it-IT', en: 'en-GB' };

/** Formatting for one locale: dates, numbers, qualified values, links within the explorer and to the record pages. */
export function formatter(lang, words, href) {
  const tag = FORMAT_LOCALE[lang] ?? lang;
  const number = new Intl.NumberFormat(tag);
  const day = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const moment = new Intl.DateTimeFormat(tag, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Rome',
  });
  // A Date is a calendar day (read in UTC so that it never shifts); a DateTime is shown in Rome's time.
  const date = (value) => (!value ? '' : value.length === 10 ? day.format(new Date(`${value}T00:00:00Z`)) : moment.format(new Date(value)));
  return {
    words,
    lang,
    href,
    date,
    period: (start, end) => (start && end && start !== end ? `${date(start)} – ${date(end)}` : date(start || end)),
    value: (value, qualifier) => (words.qualified[qualifier] ?? words.qualified.exact)(number.format(value)),
    link: (hash, text) => h('a', { href: href(hash) }, text),
    /** A record's, organisation's or person's own page (server-rendered). */
    page: (type, slug) => pagePath(lang, type, slug),
    pageLink: (type, item, text = item.title ?? item.name ?? item.fullName) => h('a', { href: pagePath(lang, type, item.slug) }, text),
  };
}

/**
 * A value shown with what the record says about it: when its `inferences` name one of `fields`,
 * an "inferred" marker follows, with the editors' reason (in full, or on hover when `brief`).
 */
export function markInferred(f, record, fields, value, { brief = false } = {}) {
  const inference = record?.inferences?.find((i) => fields.includes(i.field));
  if (!inference || value === null || value === undefined || value === '') return value;
  return h(
    'span',
    { className: 'inferred' },
    value,
    ' ',
    h('span', { className: 'inferred-mark', title: `${f.words.inferredBy}: ${inference.basis}` }, f.words.inferred),
    brief ? null : h('span', { className: 'inferred-basis' }, inference.basis),
  );
}
const DATES = ['startDate', 'endDate'];

const clip = (text, max = 220) => (!text || text.length <= max ? text : `${text.slice(0, text.lastIndexOf(' ', max)).trimEnd()}…`);

function resultItem(f, { type, slug, title, text, snippet, when, tags }, heading) {
  const paragraph = h('p', {}, clip(text));
  // Search snippets come HTML-escaped from the API, with <mark> around the matching words.
  if (snippet) paragraph.innerHTML = snippet;
  return h(
    'li',
    { className: tags ? 'result card' : 'result' },
    h(heading, {}, f.pageLink(type, { slug, title })),
    h('p', { className: 'meta' }, f.words.types[type][0], when ? [' · ', when] : ''),
    text || snippet ? paragraph : null,
    tags,
  );
}

/** A practice's themes and territories, as filters of the explorer. */
const tagList = (f, node) =>
  node.themes || node.territories
    ? h(
        'ul',
        { className: 'tags' },
        (node.themes ?? []).map((t) => h('li', { className: 'tag' }, f.link(searchHash({ theme: t.slug, page: 1 }), t.name))),
        (node.territories ?? []).map((t) =>
          h('li', { className: 'tag place' }, f.link(searchHash({ territory: t.slug, page: 1 }), t.name)),
        ),
      )
    : null;

const listItem = (f, type, heading) => (node) =>
  resultItem(
    f,
    {
      type,
      slug: node.slug,
      title: node.title,
      text:
        type === 'outcomes' ? `${f.value(node.value, node.qualifier)} ${node.unit}. ${node.description ?? ''}` : LIST[type].summary(node),
      when: node.startDate ? markInferred(f, node, DATES, f.period(node.startDate, node.endDate), { brief: true }) : '',
      tags: tagList(f, node),
    },
    heading,
  );

function pager(f, state, pageCount) {
  if (pageCount <= 1) return null;
  const to = (page) => f.href(searchHash({ ...state, page }));
  return h(
    'nav',
    { className: 'pager', 'aria-label': f.words.pages },
    state.page > 1 ? h('a', { href: to(state.page - 1), rel: 'prev' }, f.words.previous) : null,
    h('span', { 'aria-current': 'page' }, f.words.pageOf(state.page, pageCount)),
    state.page < pageCount ? h('a', { href: to(state.page + 1), rel: 'next' }, f.words.next) : null,
  );
}

/** Why a list is empty: nothing published yet, or nothing with these filters; a search: fewer words. */
function emptyReason(f, state) {
  if (state.q) return f.words.noResults;
  if (state.theme || state.territory || state.group) return f.words.noMatch;
  return f.words.noneYet[state.type];
}

/** `more`: more records match than `total` (a search counts up to a bound). */
function resultsSection(f, state, total, items, pageCount, more = false) {
  const applies = !state.type || typesFor(state).length;
  const note = !applies ? h('p', { className: 'hint' }, state.group ? f.words.targetGroupNote : f.words.filterNote) : null;
  return h(
    'section',
    { className: 'results', 'aria-labelledby': 'results-heading' },
    h('h1', { id: 'results-heading', tabindex: '-1' }, f.words.results(total, state.q, more)),
    note,
    items.length
      ? h('ol', { className: 'result-list', start: (state.page - 1) * PAGE_SIZE + 1 }, items)
      : h('p', { className: 'empty' }, emptyReason(f, state)),
    pager(f, state, pageCount),
  );
}

export const searchResults = (f, state, result) =>
  resultsSection(
    f,
    state,
    result.total,
    result.items.map((hit) =>
      resultItem(
        f,
        {
          type: typeOfSearchHit[hit.type],
          slug: hit.slug,
          title: hit.title,
          snippet: hit.snippet,
          when: hit.startDate ? f.period(hit.startDate, hit.endDate) : '',
        },
        'h2',
      ),
    ),
    Math.ceil(result.total / PAGE_SIZE),
    !result.totalExact,
  );

export const listResults = (f, state, connection) =>
  resultsSection(
    f,
    state,
    connection?.pageInfo.total ?? 0,
    (connection?.nodes ?? []).map(listItem(f, state.type, 'h2')),
    connection?.pageInfo.pageCount ?? 0,
  );

/** Outcome figures summed per project and unit (outcomeFigures), as a chart. */
export function figuresChart(f, figures) {
  if (!figures.length) return null;
  const rows = [...figures]
    .sort((a, b) => b.total - a.total)
    .map((figure) => ({
      label: figure.count === 1 ? figure.outcomes[0].title : `${figure.project?.acronym ?? ''} · ${figure.unit}`,
      value: figure.total,
      shown: f.value(figure.total, figure.qualifier),
      unit: figure.unit,
      url: figure.count === 1 ? f.page('outcomes', figure.outcomes[0].slug) : null,
    }));
  return figureChart(rows, { caption: f.words.keyFigures, description: f.words.figuresDescription, words: f.words });
}

/** A project's name: its title, with its acronym in front unless the title starts with it. */
export const projectName = (p) => (!p.acronym || p.title.startsWith(p.acronym) ? p.title : `${p.acronym} – ${p.title}`);

/** The project the knowledge base is about: its name (to its page), its funding line and summary. */
function projectIntro(f, project) {
  if (!project) return null;
  return h(
    'section',
    { className: 'intro', 'aria-labelledby': 'intro-heading' },
    h('h2', { id: 'intro-heading', className: 'intro-title' }, f.pageLink('projects', project, projectName(project))),
    project.funding?.fund ? h('p', { className: 'meta' }, project.funding.fund) : null,
    project.summary ? h('p', { className: 'lead' }, clip(project.summary, 320)) : null,
  );
}

export function overview(f, state, data, project) {
  const filtered = state.theme || state.territory || state.group;
  const withRecords = data.sections.filter((section) => section.pageInfo.total > 0);
  const sections = withRecords.map((section) =>
    h(
      'section',
      { className: `overview-section overview-${section.type}`, 'aria-labelledby': `overview-${section.type}` },
      h(
        'div',
        { className: 'section-head' },
        h('h2', { id: `overview-${section.type}` }, f.words.types[section.type][1]),
        f.link(searchHash({ ...state, type: section.type, page: 1 }), f.words.showAll(section.pageInfo.total)),
      ),
      h(
        'ul',
        { className: section.type === 'good-practices' ? 'cards' : 'result-list' },
        section.nodes.map(listItem(f, section.type, 'h3')),
      ),
    ),
  );
  // What is not there is said, not left out: a type nobody has published yet is named.
  const unpublished = filtered ? [] : data.sections.filter((section) => section.pageInfo.total === 0).map((section) => section.type);
  return h(
    'div',
    { className: 'overview' },
    h('h1', { tabindex: '-1' }, f.words.overview),
    filtered ? null : projectIntro(f, project),
    figuresChart(f, data.figures),
    sections.length ? null : h('p', { className: 'empty' }, filtered ? f.words.noMatch : f.words.noResults),
    // The practices first and full width; the other types beside each other where there is room.
    sections.filter((_, i) => withRecords[i].type === 'good-practices'),
    h(
      'div',
      { className: 'overview-more' },
      sections.filter((_, i) => withRecords[i].type !== 'good-practices'),
    ),
    unpublished.length ? h('p', { className: 'hint' }, f.words.notYet(unpublished.map((type) => f.words.types[type][1]))) : null,
  );
}

// ---- record pages ----

const paragraphs = (text) =>
  text
    .split(/\n+/)
    .filter((line) => line.trim())
    .map((line) => h('p', {}, line));
const linkList = (f, type, items) =>
  items?.length
    ? h(
        'ul',
        { className: 'inline-list' },
        items.map((item) => h('li', {}, f.pageLink(type, item))),
      )
    : null;
const filterLinks = (f, key, items) =>
  items?.length
    ? h(
        'ul',
        { className: 'inline-list' },
        items.map((item) => h('li', {}, f.link(searchHash({ [key]: item.slug }), item.name))),
      )
    : null;
const venue = (v) => (v ? [v.name, v.address, v.city].filter(Boolean).join(', ') : null);
const project = (f, p) => (p ? f.pageLink('projects', p, `${p.title} (${p.acronym})`) : null);

function outcomesChart(f, outcomes) {
  if (!outcomes?.length) return null;
  const rows = outcomes.map((o) => ({
    label: o.title,
    value: o.value,
    shown: f.value(o.value, o.qualifier),
    unit: o.unit,
    url: f.page('outcomes', o.slug),
  }));
  return figureChart(rows, { caption: f.words.related.outcomes, words: f.words });
}

/** `session(code)`: a session's name in the page's language. */
function agenda(f, items, heading, session) {
  if (!items?.length) return null;
  // A speaker links to their page, and their organisation to its own.
  const speaker = (person) => [
    f.pageLink('people', person),
    (person.affiliations ?? []).map((a) => [
      ' — ',
      [a.jobTitle, a.organization ? f.pageLink('organizations', a.organization) : null]
        .filter(Boolean)
        .flatMap((part, i) => (i ? [', ', part] : [part])),
    ]),
  ];
  return h(
    'section',
    { 'aria-labelledby': 'agenda-heading' },
    h('h2', { id: 'agenda-heading' }, heading),
    h(
      'ol',
      { className: 'agenda' },
      items.map((item) =>
        h(
          'li',
          {},
          // The time column stays in place when the article gives no time.
          item.time
            ? h('time', { datetime: item.time.slice(0, 5) }, item.time.slice(0, 5))
            : h('span', {}, item.session ? session(item.session) : null),
          h(
            'div',
            {},
            h('p', { className: 'agenda-title' }, item.title),
            item.speakers?.length
              ? h(
                  'ul',
                  { className: 'speakers' },
                  item.speakers.map((p) => h('li', {}, speaker(p))),
                )
              : null,
            item.thematicTable ? h('p', {}, f.pageLink('thematic-tables', item.thematicTable)) : null,
          ),
        ),
      ),
    ),
  );
}

/** Per type: the lead line, the facts, the long texts, special sections and related records. */
const PAGES = {
  'good-practices': (f, r, w, l, c) => ({
    lead: r.summary,
    facts: [
      [l('implementationStatus'), markInferred(f, r, ['implementationStatus'], c('implementationStatus', r.implementationStatus))],
      [w.period, markInferred(f, r, DATES, f.period(r.startDate, r.endDate))],
      [l('targetGroups'), r.targetGroups?.map((t) => c('group', t.group, 'shared.target-group')).join(', ')],
      [l('themes'), filterLinks(f, 'theme', r.themes)],
      [l('territories'), filterLinks(f, 'territory', r.territories)],
      [l('project'), project(f, r.project)],
      [l('leadOrganization'), linkList(f, 'organizations', r.leadOrganization ? [r.leadOrganization] : [])],
      [l('partnerOrganizations'), linkList(f, 'organizations', r.partnerOrganizations)],
    ],
    texts: ['context', 'objectives', 'activities', 'results', 'lessonsLearned', 'transferability', 'resourcesNeeded'],
    related: [
      ['trainings', r.trainings],
      ['thematic-tables', r.thematicTables],
    ],
  }),
  trainings: (f, r, w, l, c) => ({
    facts: [
      [w.date, markInferred(f, r, DATES, f.period(r.startDate, r.endDate))],
      [l('mode'), c('mode', r.mode)],
      [l('venue'), venue(r.venue)],
      [l('participantsCount'), r.participantsCount],
      [l('publicOperatorsCount'), r.publicOperatorsCount],
      [l('themes'), filterLinks(f, 'theme', r.themes)],
      [l('territory'), filterLinks(f, 'territory', r.territory ? [r.territory] : [])],
      [l('trainers'), linkList(f, 'people', r.trainers)],
      [l('organizers'), linkList(f, 'organizations', r.organizers)],
      [l('project'), project(f, r.project)],
    ],
    texts: ['description', 'learningObjectives', 'audience'],
    related: [['good-practices', r.goodPractices]],
  }),
  'thematic-tables': (f, r, w, l) => ({
    lead: r.scope,
    facts: [
      [
        l('event'),
        r.event
          ? h('span', {}, f.pageLink('events', r.event), ', ', markInferred(f, r.event, ['startDate'], f.date(r.event.startDate)))
          : null,
      ],
      [l('themes'), filterLinks(f, 'theme', r.themes)],
      [l('facilitators'), linkList(f, 'people', r.facilitators)],
      [l('participatingOrganizations'), linkList(f, 'organizations', r.participatingOrganizations)],
    ],
    texts: ['findings', 'recommendations'],
    related: [['good-practices', r.goodPractices]],
  }),
  events: (f, r, w, l, c) => ({
    facts: [
      [l('type'), c('type', r.type)],
      [w.date, markInferred(f, r, DATES, f.period(r.startDate, r.endDate))],
      [l('venue'), venue(r.venue)],
      [l('territory'), filterLinks(f, 'territory', r.territory ? [r.territory] : [])],
      [l('themes'), filterLinks(f, 'theme', r.themes)],
      [l('organizers'), linkList(f, 'organizations', r.organizers)],
      [l('project'), project(f, r.project)],
    ],
    texts: ['description'],
    extra: agenda(f, r.agenda, l('agenda'), (session) => c('session', session, 'event.agenda-item')),
    related: [['thematic-tables', r.thematicTables]],
  }),
  outcomes: (f, r, w, l, c) => ({
    lead: `${f.value(r.value, r.qualifier)} ${r.unit}`,
    facts: [
      [l('indicatorType'), markInferred(f, r, ['indicatorType'], c('indicatorType', r.indicatorType))],
      [l('indicatorCode'), r.indicatorCode],
      [w.period, markInferred(f, r, ['periodStart', 'periodEnd'], f.period(r.periodStart, r.periodEnd))],
      [l('territory'), filterLinks(f, 'territory', r.territory ? [r.territory] : [])],
      [l('themes'), filterLinks(f, 'theme', r.themes)],
      [l('project'), project(f, r.project)],
    ],
    texts: ['description', 'evidence'],
    related: [
      ['good-practices', r.goodPractices],
      ['trainings', r.trainings],
      ['events', r.events],
      ['thematic-tables', r.thematicTables],
    ],
    noChart: true,
  }),
  organizations: (f, r, w, l, c) => ({
    lead: r.acronym,
    facts: [
      [l('type'), markInferred(f, r, ['type'], c('type', r.type))],
      [l('website'), r.website ? h('a', { href: r.website }, r.website) : null],
      [l('territory'), filterLinks(f, 'territory', r.territory ? [r.territory] : [])],
      [l('governanceNetworkMember'), markInferred(f, r, ['governanceNetworkMember'], r.governanceNetworkMember ? '✓' : null)],
    ],
    texts: ['description'],
    related: [['good-practices', r.ledGoodPractices]],
    noChart: true,
  }),
};

function sourceNote(f, source, license, inferences, l) {
  const title = source.url ? h('a', { href: source.url }, source.title) : source.title;
  return h(
    'footer',
    { className: 'source' },
    h('h2', {}, l('source')),
    h('p', {}, title, source.publisher ? ` — ${source.publisher}` : '', source.date ? `, ${f.date(source.date)}` : ''),
    source.note ? h('p', {}, h('span', { className: 'label' }, `${l('note', 'shared.source')}: `), source.note) : null,
    // Every inferred value, shown or not above (a relation, a role), with the editors' reason.
    inferences?.length
      ? h(
          'div',
          { className: 'inferences' },
          h('p', { className: 'label' }, `${l('inferences')}:`),
          h(
            'ul',
            {},
            inferences.map((i) =>
              h('li', {}, h('span', { className: 'inferred-mark' }, f.words.inferred), ' ', `${l(i.field.split('.')[0])}: ${i.basis}`),
            ),
          ),
        )
      : null,
    h('p', {}, h('span', { className: 'label' }, `${l('license')}: `), license),
  );
}

/** The name a field guide's labels give a code, in a language (the code itself when it has none). */
export const codeName = (labels, model, field, code, lang) => labels[model]?.[field]?.values?.[code]?.[lang] ?? code;

/**
 * A record's page. `labels`: the field labels the server's field guide gives (src/content/labels),
 * per type and component, with the names of their codes; `l(field)` is one of this type's, in the
 * page's language, and `c(field, code)` the name of one of its codes.
 */
export function recordPage(f, type, r, backHash, labels) {
  const w = f.words;
  const l = (field, model = type) => labels[model]?.[field]?.[f.lang] ?? field;
  const c = (field, code, model = type) => (code == null ? code : codeName(labels, model, field, code, f.lang));
  const page = PAGES[type](f, r, w, l, c);
  const facts = page.facts.filter(([, value]) => value !== null && value !== undefined && value !== '');
  return h(
    'article',
    { className: 'record' },
    h('p', { className: 'kicker' }, f.link(backHash, `← ${w.backToSearch}`), ' · ', w.types[type][0]),
    h('h1', { tabindex: '-1' }, r.title),
    page.lead ? h('p', { className: 'lead' }, page.lead) : null,
    facts.length
      ? h(
          'dl',
          { className: 'facts' },
          facts.map(([label, value]) => h('div', {}, h('dt', {}, label), h('dd', {}, value))),
        )
      : null,
    page.texts.filter((field) => r[field]).map((field) => h('section', {}, h('h2', {}, l(field)), paragraphs(r[field]))),
    page.extra,
    page.noChart ? null : outcomesChart(f, r.outcomes),
    page.related
      .filter(([, items]) => items?.length)
      .map(([kind, items]) => h('section', {}, h('h2', {}, w.related[kind]), linkList(f, kind, items))),
    sourceNote(f, r.source, r.license, r.inferences, l),
  );
}

export const notFound = (f, backHash) =>
  h(
    'div',
    { className: 'not-found' },
    h('h1', { tabindex: '-1' }, f.words.notFound),
    h('p', {}, f.words.notFoundText),
    h('p', {}, f.link(backHash, f.words.backToSearch)),
  );
