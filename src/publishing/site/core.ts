/**
 * The public pages: one renderer for the pages the server answers and the files of the static
 * snapshot. Pure: published records, labels and a way to write links go in, HTML comes out. The
 * server's links are paths from its root, the snapshot's are relative to the page's folder (so
 * it works from disk); everything else is the same, byte for byte.
 */
import {
  PAGE_LOCALES,
  STATEMENTS,
  STYLESHEET_PATH,
  feedPath,
  statementPath,
  typePath,
  type FeedAddress,
  type Statement,
} from '../../content/paths/core';
import type { Locale } from '../../content/locales/core';
import type { PublicType } from '../../content/model/core';
import { STATEMENT_TEXTS, type ProjectFacts } from './statements';
import { escapeHtml, scriptJson, type Link } from './html';
import { TITLE_FIELDS } from '../../content/model/core';

export { TITLE_FIELDS };

export { escapeHtml, scriptJson, type Link };

type Rec = Record<string, any>;

export const otherLocale = (locale: Locale): Locale => PAGE_LOCALES.find((l) => l !== locale)!;

export const UI = {
  it: {
    siteName: 'Base di conoscenza Com.In.4.0',
    skip: 'Vai al contenuto',
    mainNav: 'Navigazione principale',
    explore: 'Esplora e cerca',
    languageName: 'Italiano',
    footerNav: 'Informazioni sul sito',
    api: 'API GraphQL',
    openData: 'Dati aperti',
    everything: 'Novità',
    recordLicence: 'Licenza',
    inferred: 'dedotto',
    inferredTitle: 'Valori dedotti',
    inferredIntro: 'Questi valori non sono scritti nella fonte: sono stati dedotti dalla redazione, per questi motivi.',
    figures: 'I numeri del progetto',
    yes: 'sì',
    no: 'no',
    notFound: 'Pagina non trovata',
    notFoundText: 'Nessuna pagina pubblicata a questo indirizzo.',
    fundedBy: "Progetto cofinanziato dall'Unione Europea – Fondo Asilo, Migrazione e Integrazione 2014-2020",
    emblem: "Emblema dell'Unione Europea",
    qualifier: { at_least: 'almeno', approx: 'circa', exact: '' } as Record<string, string>,
  },
  en: {
    siteName: 'Com.In.4.0 knowledge base',
    skip: 'Skip to content',
    mainNav: 'Main navigation',
    explore: 'Explore and search',
    languageName: 'English',
    footerNav: 'About this site',
    api: 'GraphQL API',
    openData: 'Open data',
    everything: "What's new",
    recordLicence: 'Licence',
    inferred: 'inferred',
    inferredTitle: 'Inferred values',
    inferredIntro: 'These values are not written in the source: the editors inferred them, for these reasons.',
    figures: 'The project in figures',
    yes: 'yes',
    no: 'no',
    notFound: 'Page not found',
    notFoundText: 'No page is published at this address.',
    fundedBy: 'Project co-funded by the European Union – Asylum, Migration and Integration Fund 2014-2020',
    emblem: 'Emblem of the European Union',
    qualifier: { at_least: 'at least', approx: 'about', exact: '' } as Record<string, string>,
  },
};

/** Statement names in the footer and the page titles. */
export const STATEMENT_TITLES: Record<Locale, Record<Statement, string>> = {
  it: {
    about: 'Chi siamo',
    funding: 'Finanziamento UE',
    privacy: 'Informativa sulla privacy',
    accessibility: 'Dichiarazione di accessibilità',
    contact: 'Contatti',
    licence: 'Licenza e riuso',
  },
  en: {
    about: 'About',
    funding: 'EU funding',
    privacy: 'Privacy statement',
    accessibility: 'Accessibility statement',
    contact: 'Contact',
    licence: 'Licence and reuse',
  },
};

/** A feed's title: the site's name and what the feed follows (a kind of record, a theme, a territory), or everything new. */
export const feedTitle = (locale: Locale, follows: string = UI[locale].everything) => `${UI[locale].siteName} – ${follows}`;

/** The feeds a page offers: the given ones (`follows` names each), then everything new in the page's language. */
export const feedLinks = (locale: Locale, specific: { feed: FeedAddress; follows: string }[] = []): Link[] => [
  ...specific.map(({ feed, follows }) => ({ path: feedPath(feed), text: feedTitle(locale, follows) })),
  { path: feedPath({ kind: 'all', locale }), text: feedTitle(locale) },
];

// ---------------------------------------------------------------- links and pages

/** How a page writes its links: the server's paths, or the snapshot's files relative to the page. */
export interface Links {
  /** A page's href from its site path (`/it/event/x`). */
  page: (path: string) => string;
  /** A file's href from its path (`/site/site.css`). */
  asset: (path: string) => string;
  /** The home page of a language. */
  home: (locale: Locale) => string;
  /** The GraphQL API, where there is a server. */
  api?: string;
  /** An Atom feed's href from its path, where there is a server to follow. */
  feed?: (path: string) => string;
}

/** The server's links: paths from the root; its home is the explorer. */
export const SERVER_LINKS: Links = {
  page: (path) => path,
  asset: (path) => path,
  home: (locale) => `/?lang=${locale}`,
  api: '/graphql',
  feed: (path) => path,
};

/** A site path's file in the snapshot: every page is a folder's index.html. */
export const pageFile = (path: string) => (path === '/' ? 'index.html' : `${path.slice(1)}/index.html`);

/** The snapshot's links from a page at `path`: relative, so that the files work from disk. */
export function snapshotLinks(path: string): Links {
  const depth = path === '/' ? 0 : path.split('/').length - 1;
  const up = '../'.repeat(depth);
  return {
    page: (target) => `${up}${pageFile(target)}`,
    asset: (target) => `${up}${target.slice(1)}`,
    home: (locale) => `${up}${pageFile(`/${locale}`)}`,
  };
}

/** What every page shares: where the site lives, how links are written, and the project it is about. */
export interface SiteContext {
  /** The public address, without a trailing slash: canonical URLs and the sitemap. */
  baseUrl: string;
  links: Links;
  locale: Locale;
  /** The project's page in this language, when it is published: the header names it. */
  project?: Link;
}

export interface Head {
  /** This page's site path. */
  path: string;
  title: string;
  description?: string;
  /** The page's path in every language it is published in, this one included. */
  alternates: Partial<Record<Locale, string>>;
  ogType?: 'website' | 'article';
  jsonLd?: object;
  /** The Atom feeds the page offers, the most specific first. */
  feeds?: Link[];
  /** A page that is no address of its own (not found; the snapshot's home pages): no canonical, kept out of search engines. */
  unlisted?: boolean;
}

const OG_LOCALES: Record<Locale, string> = { it: 'it_IT', en: 'en_GB' };
/** A meta description: the first sentences, at most 160 characters. */
export const describe = (text: string | undefined, max = 160): string | undefined => {
  const flat = text?.replace(/\s+/g, ' ').trim();
  if (!flat) return undefined;
  return flat.length > max ? `${flat.slice(0, max - 1).replace(/\s+\S*$/, '')}…` : flat;
};

function headTags(site: SiteContext, head: Head): string {
  const ui = UI[site.locale];
  const url = (path: string) => `${site.baseUrl}${path}`;
  const xDefault = head.alternates[PAGE_LOCALES[0]] ?? head.path;
  const alternates = PAGE_LOCALES.filter((l) => head.alternates[l]).map(
    (l) => `<link rel="alternate" hreflang="${l}" href="${escapeHtml(url(head.alternates[l]!))}">`,
  );
  const title = head.title === ui.siteName ? ui.siteName : `${head.title} – ${ui.siteName}`;
  if (head.unlisted) return `<title>${escapeHtml(title)}</title>\n<meta name="robots" content="noindex">`;
  return [
    `<title>${escapeHtml(title)}</title>`,
    head.description ? `<meta name="description" content="${escapeHtml(head.description)}">` : '',
    `<link rel="canonical" href="${escapeHtml(url(head.path))}">`,
    ...alternates,
    `<link rel="alternate" hreflang="x-default" href="${escapeHtml(url(xDefault))}">`,
    ...(site.links.feed
      ? (head.feeds ?? []).map(
          (f) =>
            `<link rel="alternate" type="application/atom+xml" title="${escapeHtml(f.text)}" href="${escapeHtml(site.links.feed!(f.path))}">`,
        )
      : []),
    `<meta property="og:type" content="${head.ogType ?? 'website'}">`,
    `<meta property="og:site_name" content="${escapeHtml(ui.siteName)}">`,
    `<meta property="og:title" content="${escapeHtml(head.title)}">`,
    head.description ? `<meta property="og:description" content="${escapeHtml(head.description)}">` : '',
    `<meta property="og:url" content="${escapeHtml(url(head.path))}">`,
    `<meta property="og:locale" content="${OG_LOCALES[site.locale]}">`,
    ...PAGE_LOCALES.filter((l) => l !== site.locale && head.alternates[l]).map(
      (l) => `<meta property="og:locale:alternate" content="${OG_LOCALES[l]}">`,
    ),
    head.jsonLd ? `<script type="application/ld+json">${scriptJson(head.jsonLd)}</script>` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** The types the header names, in this order. */
const NAV_TYPES: PublicType[] = ['good-practice', 'training', 'event', 'outcome'];

/** Every page: head, header with the project and the main kinds of record, footer with the statements and the EU funding line. */
export function layout(site: SiteContext, head: Head, body: string, { typeNames, scripts = [] }: LayoutOptions): string {
  const { locale, links } = site;
  const ui = UI[locale];
  const other = otherLocale(locale);
  const switchTo = head.alternates[other];
  const nav = [
    ...(site.project ? [{ href: links.page(site.project.path), text: site.project.text }] : []),
    ...NAV_TYPES.map((type) => ({ href: links.page(typePath(locale, type)), text: typeNames[type] })),
    { href: links.page(statementPath(locale, 'about')), text: STATEMENT_TITLES[locale].about },
  ];
  const current = (href: string) => (href === links.page(head.path) ? ' aria-current="page"' : '');
  const footerLinks = [
    ...STATEMENTS.map((s) => ({ href: links.page(statementPath(locale, s)), text: STATEMENT_TITLES[locale][s] })),
    ...(links.api ? [{ href: links.api, text: ui.api }] : []),
    { href: links.asset('/open-data/catalog.jsonld'), text: ui.openData },
  ];
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${headTags(site, head)}
<link rel="stylesheet" href="${links.asset(STYLESHEET_PATH)}">
</head>
<body>
<a class="skip" href="#main">${ui.skip}</a>
<header class="site-header">
<div class="wrap bar">
<a class="brand" href="${links.home(locale)}">${escapeHtml(ui.siteName)}</a>
${switchTo ? `<a class="language" href="${links.page(switchTo)}" hreflang="${other}" lang="${other}">${UI[other].languageName}</a>` : ''}
</div>
<nav class="wrap" aria-label="${ui.mainNav}"><ul>${nav.map((n) => `<li><a href="${n.href}"${current(n.href)}>${escapeHtml(n.text)}</a></li>`).join('')}<li><a href="${links.home(locale)}">${ui.explore}</a></li></ul></nav>
</header>
<main id="main" class="wrap">
${body}
</main>
<footer class="site-footer">
<div class="wrap">
<p class="eu">${euEmblem(ui.emblem, 60)}<span>${escapeHtml(ui.fundedBy)}</span></p>
<nav aria-label="${ui.footerNav}"><ul>${footerLinks.map((l) => `<li><a href="${l.href}"${current(l.href)}>${escapeHtml(l.text)}</a></li>`).join('')}</ul></nav>
</div>
</footer>
${scripts.map((src) => `<script src="${links.asset(src)}"></script>`).join('\n')}
</body>
</html>
`;
}

export interface LayoutOptions {
  /** The name of each kind of record in the page's language (plural). */
  typeNames: Record<PublicType, string>;
  scripts?: string[];
}

// ---------------------------------------------------------------- the EU emblem

/**
 * The EU flag to its official geometry: 3:2, twelve gold five-pointed stars, one point up, on a
 * circle whose radius is a third of the height, each star in a circle of an eighteenth of it.
 */
export function euFlagGeometry(height = 200) {
  const centre = { x: (height * 3) / 4, y: height / 2 };
  const ring = height / 3;
  const star = height / 18;
  // A regular pentagram: the inner points on a circle of r·sin(18°)/sin(54°).
  const inner = (star * Math.sin(Math.PI / 10)) / Math.sin((3 * Math.PI) / 10);
  const starPoints = (cx: number, cy: number) =>
    Array.from({ length: 10 }, (_, i) => {
      const r = i % 2 ? inner : star;
      const angle = (i * Math.PI) / 5;
      return [cx + r * Math.sin(angle), cy - r * Math.cos(angle)];
    });
  const stars = Array.from({ length: 12 }, (_, i) => {
    const angle = (i * Math.PI) / 6;
    return starPoints(centre.x + ring * Math.sin(angle), centre.y - ring * Math.cos(angle));
  });
  return { width: (height * 3) / 2, height, centre, ring, star, stars };
}

/** The emblem as inline SVG, `width` pixels wide, with its name for screen readers. */
export function euEmblem(name: string, width: number): string {
  const flag = euFlagGeometry();
  const points = (star: number[][]) => star.map(([x, y]) => `${+x.toFixed(2)},${+y.toFixed(2)}`).join(' ');
  return `<svg class="emblem" role="img" aria-label="${escapeHtml(name)}" width="${width}" height="${(width * 2) / 3}" viewBox="0 0 ${flag.width} ${flag.height}"><rect width="${flag.width}" height="${flag.height}" fill="#003399"/><g fill="#FFCC00">${flag.stars.map((s) => `<polygon points="${points(s)}"/>`).join('')}</g></svg>`;
}

// ---------------------------------------------------------------- values

const DATE_STYLE: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric' };
const INTL: Record<Locale, string> = { it: 'it-IT', en: 'en-GB' };
/** The knowledge base's events are in Italy: a date-time is shown at the venue's wall-clock time. */
const TIME_ZONE = 'Europe/Rome';

/** A value as a reader reads it: dates in words ("26 settembre 2022", "26 September 2022"), times as hh:mm. */
export function formatValue(type: string, value: unknown, locale: Locale): string {
  if (typeof value === 'boolean') return value ? UI[locale].yes : UI[locale].no;
  if (type === 'date') return new Intl.DateTimeFormat(INTL[locale], { ...DATE_STYLE, timeZone: 'UTC' }).format(new Date(String(value)));
  if (type === 'datetime') {
    return new Intl.DateTimeFormat(INTL[locale], { ...DATE_STYLE, hour: '2-digit', minute: '2-digit', timeZone: TIME_ZONE }).format(
      new Date(String(value)),
    );
  }
  if (type === 'time') return String(value).slice(0, 5);
  if (type === 'decimal' || type === 'float' || type === 'integer') return new Intl.NumberFormat(INTL[locale]).format(Number(value));
  return String(value);
}

// ---------------------------------------------------------------- from a record to its sections

export interface ModelAttribute {
  type: string;
  private?: boolean;
  target?: string;
  component?: string;
  repeatable?: boolean;
}
export type Model = Record<string, ModelAttribute>;

/** A piece of a line: text, or a link to another record's page. */
export type Part = string | Link;

/** A section of a record page; `inferred` holds the basis when the editors inferred the field's value. */
export type Section =
  | { kind: 'text'; field: string; label: string; text: string; inferred?: string }
  | { kind: 'facts'; label?: string; facts: Fact[] }
  | { kind: 'links'; field: string; label: string; links: Link[]; inferred?: string }
  | { kind: 'items'; field: string; label: string; items: Part[][]; inferred?: string };
export interface Fact {
  label: string;
  value: Part[];
  inferred?: string;
}

/** Fields a page shows in its own places (heading, summary, licence, inferences) or never (bookkeeping). */
const NOT_SECTIONS = new Set([
  'id',
  'documentId',
  'slug',
  'locale',
  'localizations',
  'license',
  'inferences',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'createdBy',
  'updatedBy',
]);
export const SUMMARY_FIELDS = ['summary', 'description', 'scope', 'bio'];

export const titleOf = (record: Rec) => String(TITLE_FIELDS.map((f) => record[f]).find(Boolean) ?? record.slug);
export const summaryField = (model: Model) => SUMMARY_FIELDS.find((f) => model[f]);
export const summaryOf = (record: Rec, model: Model): string | undefined => {
  const field = summaryField(model);
  return field ? (record[field] ?? undefined) : undefined;
};

/** The editors' inferences on a record: field name → why it was inferred. Absent on a model without them. */
export const inferencesOf = (record: Rec): Map<string, string> =>
  new Map(((record.inferences ?? []) as Rec[]).filter((i) => i?.field && i?.basis).map((i) => [String(i.field), String(i.basis)] as const));

export interface PageContext {
  locale: Locale;
  /** The field's label in the page's language (a type's or a component's field). */
  label: (model: string, field: string) => string;
  /** A coded field's (an enumeration's) value as readers name it in the page's language. */
  code: (model: string, field: string, code: string) => string;
  /** A related record's page, when there is one (published in this language). */
  pathOf: (targetUid: string, related: Rec) => string | undefined;
}

const isEmpty = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length);

/**
 * The sections of a record's page, in the content model's order: long texts as text sections,
 * relations as links, a component as labelled facts (a repeatable one as a list), other fields as
 * facts. Private fields are never shown, whatever the record carries.
 */
export function recordSections(uid: string, record: Rec, model: Model, components: Record<string, Model>, ctx: PageContext): Section[] {
  const sections: Section[] = [];
  const facts: Fact[] = [];
  const inferred = inferencesOf(record);
  const summary = summaryField(model);
  const linksTo = (target: string, value: unknown): Link[] =>
    ([] as Rec[]).concat(value ?? []).flatMap((related) => {
      const path = related && ctx.pathOf(target, related);
      return path ? [{ path, text: titleOf(related) }] : [];
    });
  const valueText = (owner: string, field: string, type: string, value: unknown) =>
    type === 'enumeration' ? ctx.code(owner, field, String(value)) : formatValue(type, value, ctx.locale);
  const partsOf = (componentUid: string, item: Rec): Fact[] =>
    Object.entries(components[componentUid] ?? {}).flatMap(([field, attribute]): Fact[] => {
      if (attribute.private || isEmpty(item[field]) || field === 'id') return [];
      const label = ctx.label(componentUid, field);
      if (attribute.type === 'relation') {
        const links = linksTo(String(attribute.target), item[field]);
        return links.length ? [{ label, value: links }] : [];
      }
      return [{ label, value: [valueText(componentUid, field, attribute.type, item[field])] }];
    });
  for (const [field, attribute] of Object.entries(model)) {
    const value = record[field];
    if (attribute.private || NOT_SECTIONS.has(field) || TITLE_FIELDS.includes(field) || field === summary || isEmpty(value)) continue;
    const label = ctx.label(uid, field);
    const basis = inferred.get(field);
    if (attribute.type === 'text' || attribute.type === 'richtext') {
      sections.push({ kind: 'text', field, label, text: String(value), inferred: basis });
    } else if (attribute.type === 'relation') {
      const links = linksTo(String(attribute.target), value);
      if (links.length) sections.push({ kind: 'links', field, label, links, inferred: basis });
    } else if (attribute.type === 'media') {
      sections.push({
        kind: 'items',
        field,
        label,
        items: ([] as Rec[]).concat(value).map((file) => [`${file.name} (${file.mime ?? ''})`]),
      });
    } else if (attribute.type === 'component' && attribute.repeatable) {
      const items = (value as Rec[]).map((item) => partsOf(String(attribute.component), item).flatMap((f) => f.value));
      sections.push({ kind: 'items', field, label, items: items.filter((parts) => parts.length), inferred: basis });
    } else if (attribute.type === 'component') {
      const inner = partsOf(String(attribute.component), value);
      if (inner.length) sections.push({ kind: 'facts', label, facts: inner.map((f) => ({ ...f, inferred: basis })) });
    } else if (attribute.type === 'string' && /^https?:\/\//.test(String(value))) {
      facts.push({ label, value: [{ path: String(value), text: String(value) }], inferred: basis });
    } else facts.push({ label, value: [valueText(uid, field, attribute.type, value)], inferred: basis });
  }
  return facts.length ? [{ kind: 'facts', facts }, ...sections] : sections;
}

// ---------------------------------------------------------------- rendering

/** Footnotes of the inferred values on one page, numbered as they are met. */
class Inferences {
  readonly notes: { label: string; basis: string }[] = [];
  constructor(private readonly locale: Locale) {}
  marker(label: string, basis: string | undefined): string {
    if (!basis) return '';
    this.notes.push({ label, basis });
    const n = this.notes.length;
    return ` <sup class="inferred" id="inferred-ref-${n}"><a href="#inferred-${n}">${UI[this.locale].inferred} ${n}</a></sup>`;
  }
  render(): string {
    if (!this.notes.length) return '';
    const ui = UI[this.locale];
    return `<section class="inferences" aria-labelledby="inferred-title"><h2 id="inferred-title">${ui.inferredTitle}</h2>
<p>${ui.inferredIntro}</p>
<ol>${this.notes.map((n, i) => `<li id="inferred-${i + 1}"><strong>${escapeHtml(n.label)}</strong>: ${escapeHtml(n.basis)} <a href="#inferred-ref-${i + 1}" aria-label="↩ ${escapeHtml(n.label)}">↩</a></li>`).join('')}</ol></section>`;
  }
}

const paragraphs = (text: string) =>
  text
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, '<br>')}</p>`)
    .join('\n');

/** Links to other records are pages of the site; a web address stays as it is. */
const hrefOf = (links: Links, path: string) => (/^https?:\/\//.test(path) ? path : links.page(path));
const linkHtml = (links: Links, link: Link) => `<a href="${escapeHtml(hrefOf(links, link.path))}">${escapeHtml(link.text)}</a>`;
const partHtml = (links: Links, part: Part) => (typeof part === 'string' ? escapeHtml(part) : linkHtml(links, part));
export const linkList = (links: Links, list: Link[], className = 'links') =>
  `<ul class="${className}">${list.map((l) => `<li>${linkHtml(links, l)}</li>`).join('')}</ul>`;

/** A fact longer than this many characters takes the whole width of its list. */
const WIDE = 80;
const textLength = (parts: Part[]) => parts.reduce((n, p) => n + (typeof p === 'string' ? p : p.text).length, 0);

function sectionHtml(s: Section, links: Links, notes: Inferences): string {
  if (s.kind === 'text')
    return `<section><h2>${escapeHtml(s.label)}${notes.marker(s.label, s.inferred)}</h2>\n${paragraphs(s.text)}</section>`;
  if (s.kind === 'links')
    return `<section><h2>${escapeHtml(s.label)}${notes.marker(s.label, s.inferred)}</h2>\n${linkList(links, s.links)}</section>`;
  if (s.kind === 'items') {
    const items = s.items.map((parts) => `<li>${parts.map((p) => partHtml(links, p)).join(' · ')}</li>`).join('');
    return `<section><h2>${escapeHtml(s.label)}${notes.marker(s.label, s.inferred)}</h2>\n<ul class="items">${items}</ul></section>`;
  }
  const rows = s.facts
    .map(
      (f) =>
        `<div${textLength(f.value) > WIDE ? ' class="wide"' : ''}><dt>${escapeHtml(f.label)}</dt><dd>${f.value.map((p) => partHtml(links, p)).join(', ')}${notes.marker(f.label, f.inferred)}</dd></div>`,
    )
    .join('');
  return `<section${s.label ? '' : ' class="key-facts"'}>${s.label ? `<h2>${escapeHtml(s.label)}</h2>` : ''}<dl class="facts">${rows}</dl></section>`;
}

/** A headline figure of the project: an outcome's value, qualified, with its unit. */
export interface Figure {
  path: string;
  value: number;
  qualifier?: string;
  unit?: string;
  title: string;
}

export interface RecordPage {
  uid: string;
  type: PublicType;
  /** The kind of record, singular, and the kinds' names in the page's language (plural). */
  typeName: string;
  typeNames: Record<PublicType, string>;
  record: Rec;
  title: string;
  summary?: string;
  sections: Section[];
  /** The page in every language it is published in. */
  alternates: Partial<Record<Locale, string>>;
  jsonLd: object;
  /** The project page's headline figures (its outcomes). */
  figures?: Figure[];
}

function figuresHtml(locale: Locale, figures: Figure[], links: Links): string {
  if (!figures.length) return '';
  const ui = UI[locale];
  const number = new Intl.NumberFormat(INTL[locale]);
  const cards = figures.map((f) => {
    const qualifier = ui.qualifier[f.qualifier ?? ''] ?? '';
    return `<li><a href="${links.page(f.path)}"><span class="figure">${qualifier ? `<small>${qualifier}</small> ` : ''}${number.format(f.value)}</span> <span class="unit">${escapeHtml(f.unit ?? '')}</span><span class="figure-title">${escapeHtml(f.title)}</span></a></li>`;
  });
  return `<section aria-labelledby="figures-title"><h2 id="figures-title">${ui.figures}</h2><ul class="figures">${cards.join('')}</ul></section>`;
}

/** One record's page, with its JSON-LD in the head and its inferred values marked. */
export function recordPage(site: SiteContext, page: RecordPage): string {
  const { locale, links } = site;
  const ui = UI[locale];
  const notes = new Inferences(locale);
  const path = page.alternates[locale]!;
  const funding = page.type === 'project' && page.record.funding ? fundingBanner(locale) : '';
  const body = `<article class="record record-${page.type}">
<p class="kind"><a href="${links.page(typePath(locale, page.type))}">${escapeHtml(page.typeName)}</a></p>
<h1>${escapeHtml(page.title)}</h1>
${page.summary ? `<p class="summary">${escapeHtml(page.summary)}</p>` : ''}
${funding}
${figuresHtml(locale, page.figures ?? [], links)}
${page.sections.map((s) => sectionHtml(s, links, notes)).join('\n')}
${notes.render()}
<p class="licence">${ui.recordLicence}: <a href="${links.page(statementPath(locale, 'licence'))}">${escapeHtml(page.record.license ?? '')}</a></p>
</article>`;
  return layout(
    site,
    {
      path,
      title: page.title,
      description: describe(page.summary),
      alternates: page.alternates,
      ogType: 'article',
      jsonLd: page.jsonLd,
      feeds: feedLinks(locale, [
        ...(page.type === 'theme' || page.type === 'territory'
          ? [{ feed: { kind: page.type, locale, slug: page.record.slug }, follows: page.title }]
          : []),
        { feed: { kind: 'type', locale, type: page.type }, follows: page.typeNames[page.type] },
      ]),
    },
    body,
    { typeNames: page.typeNames },
  );
}

/** The EU emblem with the funding statement: on the project page and the funding statement. */
export const fundingBanner = (locale: Locale) =>
  `<p class="eu-banner">${euEmblem(UI[locale].emblem, 90)}<span>${escapeHtml(UI[locale].fundedBy)}</span></p>`;

/** A kind of record's list: every published one, by title. */
export function listPage(site: SiteContext, type: PublicType, typeNames: Record<PublicType, string>, list: Link[]): string {
  const { locale } = site;
  const sorted = [...list].sort((a, b) => a.text.localeCompare(b.text, locale));
  const alternates = Object.fromEntries(PAGE_LOCALES.map((l) => [l, typePath(l, type)]));
  const body = `<h1>${escapeHtml(typeNames[type])}</h1>\n${linkList(site.links, sorted, 'links columns')}`;
  const feeds = feedLinks(locale, [{ feed: { kind: 'type', locale, type }, follows: typeNames[type] }]);
  return layout(site, { path: typePath(locale, type), title: typeNames[type], alternates, feeds }, body, { typeNames });
}

/** One of the project's statements, in both languages. */
export function statementPage(site: SiteContext, statement: Statement, typeNames: Record<PublicType, string>, facts: ProjectFacts): string {
  const { locale } = site;
  const alternates = Object.fromEntries(PAGE_LOCALES.map((l) => [l, statementPath(l, statement)]));
  const text = STATEMENT_TEXTS[statement][locale](facts, {
    link: (link: Link) => linkHtml(site.links, link),
    page: (path: string) => site.links.page(path),
    banner: fundingBanner(locale),
    openData: site.links.asset('/open-data/catalog.jsonld'),
    api: site.links.api,
  });
  const body = `<article class="statement"><h1>${STATEMENT_TITLES[locale][statement]}</h1>\n${text}</article>`;
  const head = { path: statementPath(locale, statement), title: STATEMENT_TITLES[locale][statement], alternates, feeds: feedLinks(locale) };
  return layout(site, head, body, {
    typeNames,
  });
}

/** The answer to a page nobody published: the same whatever was asked. */
export function notFoundPage(site: SiteContext, typeNames: Record<PublicType, string>): string {
  const ui = UI[site.locale];
  const body = `<h1>${ui.notFound}</h1>\n<p>${ui.notFoundText}</p>\n<p><a href="${site.links.home(site.locale)}">${ui.explore}</a></p>`;
  return layout(site, { path: `/${site.locale}`, title: ui.notFound, alternates: {}, unlisted: true }, body, { typeNames });
}

// ---------------------------------------------------------------- sitemap and robots

/** One page of the sitemap: its path in every language it is published in. */
export type SitemapEntry = Partial<Record<Locale, string>>;

const xml = (value: string) => escapeHtml(value);

/** sitemap.xml: every page in every language, each with its alternates (hreflang and x-default). */
export function sitemap(baseUrl: string, entries: SitemapEntry[]): string {
  const urls = entries.flatMap((entry) => {
    const languages = PAGE_LOCALES.filter((l) => entry[l]);
    const xDefault = entry[PAGE_LOCALES[0]] ?? entry[languages[0]]!;
    const alternates = [
      ...languages.map((l) => `<xhtml:link rel="alternate" hreflang="${l}" href="${xml(baseUrl + entry[l])}"/>`),
      `<xhtml:link rel="alternate" hreflang="x-default" href="${xml(baseUrl + xDefault)}"/>`,
    ].join('');
    return languages.map((l) => `<url><loc>${xml(baseUrl + entry[l])}</loc>${alternates}</url>`);
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
${urls.join('\n')}
</urlset>
`;
}

/** The pages every site has: the statements and the kinds' lists, in both languages. */
export const fixedPages = (types: readonly PublicType[]): SitemapEntry[] => [
  ...STATEMENTS.map((s) => Object.fromEntries(PAGE_LOCALES.map((l) => [l, statementPath(l, s)]))),
  ...types.map((t) => Object.fromEntries(PAGE_LOCALES.map((l) => [l, typePath(l, t)]))),
];

export const robots = (baseUrl: string) => `User-agent: *
Disallow: /admin

Sitemap: ${baseUrl}/sitemap.xml
`;
