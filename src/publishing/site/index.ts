import { createHash } from 'crypto';
import type { Core } from '@strapi/strapi';
import { FIELD_GUIDE, codeLabel, fieldLabel } from '../../content/labels/core';
import type { Locale } from '../../content/locales/core';
import { PUBLIC_TYPES, type PublicType } from '../../content/model/core';
import {
  PAGE_LOCALES,
  ROBOTS_PATH,
  SITEMAP_PATH,
  pageAddress,
  recordPath,
  typeOfUid,
  uidOf,
  type PageAddress,
} from '../../content/paths/core';
import { JSON_LD_TYPES, toJsonLd, type JsonLdUid } from '../../public-api/json-ld/core';
import { anonymousRead, buildAllowList, type AllowList } from '../../public-api/public-access/allow-list';
import { publicModels } from '../../public-api/public-access';
import settings from '../../../data/open-data/catalog.json';
import { publicUrl } from '../open-data';
import { isNotModified } from '../../edge/response-cache/core';
import {
  SERVER_LINKS,
  fixedPages,
  listPage,
  notFoundPage,
  recordPage,
  recordSections,
  robots,
  sitemap,
  statementPage,
  summaryOf,
  titleOf,
  TITLE_FIELDS,
  type Figure,
  type Link,
  type Links,
  type Model,
  type Section,
  type SitemapEntry,
  type SiteContext,
} from './core';
import type { ProjectFacts } from './statements';
import type { Statement } from '../../content/paths/core';

type Rec = Record<string, any>;

/** Records read per query when listing a whole type: few queries, flat memory. */
const PAGE_SIZE = 500;

/** A relation that points at a type from elsewhere with no field on the type itself: `filters` finds the records that point. */
interface BackLink {
  source: PublicType;
  filter: (documentId: string) => Rec;
}

/** The models, labels and allow-list the pages are built from: fixed for the life of the process. */
interface Catalogue {
  models: Record<string, Model>;
  allowList: AllowList;
  backLinks: Map<PublicType, BackLink[]>;
}

const catalogues = new WeakMap<object, Catalogue>();

function catalogue(strapi: Core.Strapi): Catalogue {
  let found = catalogues.get(strapi);
  if (!found) {
    const models = Object.fromEntries(publicModels(strapi).map((m) => [m.uid, m.attributes as unknown as Model]));
    const allowList = buildAllowList(publicModels(strapi));
    found = { models, allowList, backLinks: backLinksOf(strapi, allowList) };
    catalogues.set(strapi, found);
  }
  return found;
}

/**
 * For each type, the relations of other types (and of their components: an agenda's speakers, a
 * project's partners) that point at it without an inverse field: a person's page lists the
 * events they spoke at, a territory's the records about it.
 */
function backLinksOf(strapi: Core.Strapi, allowList: AllowList): Map<PublicType, BackLink[]> {
  const out = new Map<PublicType, BackLink[]>(PUBLIC_TYPES.map((t) => [t, []]));
  const oneWay = (uid: string, field: string, a: Rec) =>
    a.type === 'relation' && allowList.get(uid)?.has(field) && !a.mappedBy && !a.inversedBy;
  for (const source of PUBLIC_TYPES) {
    const uid = uidOf(source);
    for (const [field, attribute] of Object.entries<Rec>(strapi.getModel(uid as any).attributes)) {
      if (oneWay(uid, field, attribute)) {
        const target = typeOfUid(attribute.target);
        if (target) out.get(target)!.push({ source, filter: (documentId) => ({ [field]: { documentId } }) });
      } else if (attribute.type === 'component' && allowList.get(uid)?.has(field)) {
        for (const [inner, innerAttribute] of Object.entries<Rec>(strapi.getModel(attribute.component).attributes)) {
          const target = oneWay(attribute.component, inner, innerAttribute) && typeOfUid(innerAttribute.target);
          if (target) out.get(target)!.push({ source, filter: (documentId) => ({ [field]: { [inner]: { documentId } } }) });
        }
      }
    }
  }
  return out;
}

/** A type's name in both languages: singular from the field guide, plural from the open-data catalogue. */
export const singular = (type: PublicType, locale: Locale) => FIELD_GUIDE.models[uidOf(type)]?.name?.[locale] ?? type;
const plural = (type: PublicType, locale: Locale) =>
  (settings.datasets as Record<string, { title: Record<Locale, string> }>)[type].title[locale];
export const typeNames = (locale: Locale) =>
  Object.fromEntries(PUBLIC_TYPES.map((t) => [t, plural(t, locale)])) as Record<PublicType, string>;

/** A read of published records, checked against the anonymous allow-list (a refusal is a bug here, and throws). */
export function findPublished(strapi: Core.Strapi, type: PublicType, params: Rec): Promise<Rec[]> {
  const uid = uidOf(type);
  return strapi.documents(uid as any).findMany({ ...anonymousRead(params, uid, catalogue(strapi).allowList), status: 'published' } as any);
}

export interface RenderedRecord {
  html: string;
  title: string;
  summary?: string;
  typeName: string;
}

/**
 * The pages of the published knowledge, read the way an anonymous partner reads it: published
 * versions only, and only what the public allow-list names (fields, relations, filters). One per
 * request or snapshot run: it remembers the project, which every page's header names.
 */
export class SitePages {
  private readonly catalogue: Catalogue;
  private readonly projects = new Map<Locale, Promise<Rec | undefined>>();
  readonly baseUrl: string;

  constructor(private readonly strapi: Core.Strapi) {
    this.catalogue = catalogue(strapi);
    this.baseUrl = publicUrl(strapi);
  }

  private find(type: PublicType, params: Rec): Promise<Rec[]> {
    return findPublished(this.strapi, type, params);
  }

  /** What a record page loads: its JSON-LD's populate, every public relation, and the editors' inferences where the model has them. */
  private populate(type: PublicType): Rec {
    const everything = Object.fromEntries(
      [...(this.catalogue.allowList.get(uidOf(type)) ?? [])].filter(([, a]) => a.kind === 'nested').map(([name]) => [name, true]),
    );
    return { ...everything, ...JSON_LD_TYPES[uidOf(type) as JsonLdUid].populate };
  }

  /** What every page in this language shares: the links' form and the project the header names. */
  async context(locale: Locale, links: Links): Promise<SiteContext> {
    const project = await this.project(locale);
    return {
      baseUrl: this.baseUrl,
      links,
      locale,
      project: project ? { path: recordPath(locale, 'project', project.slug), text: project.acronym || titleOf(project) } : undefined,
    };
  }

  /** The project the site is about: the first one recorded, in this language. */
  private project(locale: Locale): Promise<Rec | undefined> {
    if (!this.projects.has(locale)) {
      this.projects.set(
        locale,
        this.find('project', {
          locale,
          sort: 'id:asc',
          limit: 1,
          populate: { funding: true, partners: { populate: { organization: true } }, coordinator: { populate: { affiliations: true } } },
        }).then(([first]) => first),
      );
    }
    return this.projects.get(locale)!;
  }

  private pathOf = (locale: Locale) => (targetUid: string, related: Rec) => {
    const type = typeOfUid(targetUid);
    return type && related.slug ? recordPath(related.locale ?? locale, type, related.slug) : undefined;
  };

  /** A record's page, or undefined when no such record is published in this language. */
  async record(locale: Locale, type: PublicType, slug: string, links: Links = SERVER_LINKS): Promise<RenderedRecord | undefined> {
    const uid = uidOf(type);
    const [record] = await this.find(type, { locale, filters: { slug: { $eq: slug } }, populate: this.populate(type), limit: 1 });
    if (!record) return undefined;
    const model = this.catalogue.models[uid];
    const ctx = {
      locale,
      label: (m: string, f: string) => fieldLabel(m, f, locale),
      code: (m: string, f: string, code: string) => codeLabel(m, f, code, locale),
      pathOf: this.pathOf(locale),
    };
    const components = this.catalogue.models;
    const sections: Section[] = [...recordSections(uid, record, model, components, ctx), ...(await this.backLinks(type, record, locale))];
    const alternates: Partial<Record<Locale, string>> = {};
    for (const l of PAGE_LOCALES) {
      const published =
        l === locale || (await this.find(type, { locale: l, filters: { slug: { $eq: slug } }, fields: ['slug'], limit: 1 })).length;
      if (published) alternates[l] = recordPath(l, type, slug);
    }
    const title = titleOf(record);
    const summary = summaryOf(record, model);
    const html = recordPage(await this.context(locale, links), {
      uid,
      type,
      typeName: singular(type, locale),
      typeNames: typeNames(locale),
      record,
      title,
      summary,
      sections,
      alternates,
      jsonLd: toJsonLd(uid as JsonLdUid, record, { baseUrl: this.baseUrl, locale }),
      figures: type === 'project' ? figures(record, locale) : undefined,
    });
    return { html, title, summary, typeName: singular(type, locale) };
  }

  /** The records that point at this one with no field of its own to show them, one section per kind. */
  private async backLinks(type: PublicType, record: Rec, locale: Locale): Promise<Section[]> {
    const bySource = new Map<PublicType, Map<string, Link>>();
    for (const { source, filter } of this.catalogue.backLinks.get(type) ?? []) {
      const fields = ['slug', ...TITLE_FIELDS.filter((f) => this.catalogue.models[uidOf(source)][f])];
      for (const found of await this.find(source, { locale, filters: filter(record.documentId), fields })) {
        const links = bySource.get(source) ?? new Map<string, Link>();
        links.set(found.slug, { path: recordPath(locale, source, found.slug), text: titleOf(found) });
        bySource.set(source, links);
      }
    }
    return [...bySource].map(([source, links]) => ({
      kind: 'links',
      field: source,
      label: plural(source, locale),
      links: [...links.values()].sort((a, b) => a.text.localeCompare(b.text, locale)),
    }));
  }

  /** Every published record of a type in a language: slug and title, a page of rows at a time. */
  async *listed(type: PublicType, locale: Locale): AsyncGenerator<Link & { documentId: string }> {
    const fields = ['slug', 'documentId', ...TITLE_FIELDS.filter((f) => this.catalogue.models[uidOf(type)][f])];
    for (let after = 0; ;) {
      const page = await this.find(type, { locale, fields, filters: { id: { $gt: after } }, sort: 'id:asc', limit: PAGE_SIZE });
      for (const row of page) yield { path: recordPath(locale, type, row.slug), text: titleOf(row), documentId: row.documentId };
      if (page.length < PAGE_SIZE) return;
      after = page[page.length - 1].id;
    }
  }

  async list(locale: Locale, type: PublicType, links: Links = SERVER_LINKS): Promise<string> {
    const all: Link[] = [];
    for await (const { path, text } of this.listed(type, locale)) all.push({ path, text });
    return listPage(await this.context(locale, links), type, typeNames(locale), all);
  }

  async statement(locale: Locale, statement: Statement, links: Links = SERVER_LINKS): Promise<string> {
    return statementPage(await this.context(locale, links), statement, typeNames(locale), await this.projectFacts(locale));
  }

  async notFound(locale: Locale, links: Links = SERVER_LINKS): Promise<string> {
    return notFoundPage(await this.context(locale, links), typeNames(locale));
  }

  private async projectFacts(locale: Locale): Promise<ProjectFacts> {
    const project = await this.project(locale);
    const pathOf = this.pathOf(locale);
    const fundingFields = Object.keys(this.catalogue.models['project.funding'] ?? {});
    const link = (uid: string, related: Rec | undefined) => {
      const path = related && pathOf(uid, related);
      return path ? { path, text: titleOf(related!) } : undefined;
    };
    const coordinator = link('api::person.person', project?.coordinator);
    return {
      project: project && link('api::project.project', project),
      funding: project?.funding ?? undefined,
      fundingLabels: fundingFields.map((f) => [f, fieldLabel('project.funding', f, locale)]),
      partners: ((project?.partners ?? []) as Rec[]).flatMap((p) => {
        const organization = link('api::organization.organization', p.organization);
        return organization ? [{ organization, role: p.role, website: p.organization.website ?? undefined }] : [];
      }),
      coordinator: coordinator && { person: coordinator, jobTitle: project!.coordinator.affiliations?.[0]?.jobTitle ?? undefined },
    };
  }

  /** Every page of the site in every language it is published in: the statements, the lists, then each record. */
  async *pages(): AsyncGenerator<SitemapEntry> {
    yield* fixedPages(PUBLIC_TYPES);
    for (const type of PUBLIC_TYPES) {
      const byDocument = new Map<string, SitemapEntry>();
      for (const locale of PAGE_LOCALES) {
        for await (const { path, documentId } of this.listed(type, locale))
          byDocument.set(documentId, { ...byDocument.get(documentId), [locale]: path });
      }
      yield* byDocument.values();
    }
  }

  async sitemap(): Promise<string> {
    const entries: SitemapEntry[] = [];
    for await (const entry of this.pages()) entries.push(entry);
    return sitemap(this.baseUrl, entries);
  }

  /** The page at an address, as the server answers it: its HTML, or the one not-found page. */
  async page(address: PageAddress | undefined): Promise<{ status: number; html: string }> {
    const locale = address?.locale ?? PAGE_LOCALES[0];
    if (address?.kind === 'statement') return { status: 200, html: await this.statement(locale, address.statement) };
    if (address?.kind === 'list') return { status: 200, html: await this.list(locale, address.type) };
    const found = address?.kind === 'record' && (await this.record(locale, address.type, address.slug));
    return found ? { status: 200, html: found.html } : { status: 404, html: await this.notFound(locale) };
  }
}

/** The project's outcomes with a value: its headline figures. */
function figures(project: Rec, locale: Locale): Figure[] {
  return ((project.outcomes ?? []) as Rec[])
    .filter((o) => o.value !== null && o.value !== undefined && o.slug)
    .map((o) => ({
      path: recordPath(locale, 'outcome', o.slug),
      value: Number(o.value),
      qualifier: o.qualifier ?? undefined,
      unit: o.unit ?? undefined,
      title: titleOf(o),
    }));
}

/**
 * Sends a page (or a feed) like the API sends its reads: a validator that changes with the
 * content, revalidated on every use; `lastModified` when the content knows when it last changed.
 */
export function send(ctx: any, status: number, type: string, body: string, lastModified?: Date): void {
  const etag = `W/"${createHash('sha1').update(body).digest('base64url')}"`;
  ctx.set('ETag', etag);
  if (lastModified) ctx.lastModified = lastModified;
  ctx.set('Cache-Control', 'public, no-cache');
  ctx.status = status;
  // Not Koa's ctx.fresh: it answers 200 to a revalidation that says `Cache-Control: no-cache`.
  if (
    status === 200 &&
    isNotModified({ ifNoneMatch: ctx.get('if-none-match'), ifModifiedSince: ctx.get('if-modified-since') }, { etag, lastModified })
  ) {
    ctx.status = 304;
    return;
  }
  ctx.type = type;
  ctx.body = body;
}

/**
 * The public pages: a page per published record and language, the project's statements, the
 * kinds' lists, sitemap.xml and robots.txt. Read fresh on every request (no cache to fall behind
 * a publication); the ETag lets a client keep what has not changed.
 */
export function registerSitePages(strapi: Core.Strapi): void {
  const locales = PAGE_LOCALES.join('|');
  const page = async (ctx: any) => {
    const { status, html } = await new SitePages(strapi).page(pageAddress(ctx.path));
    send(ctx, status, 'text/html; charset=utf-8', html);
  };
  strapi.server.routes([
    { method: 'GET', path: `/:locale(${locales})/:name`, config: { auth: false }, handler: page },
    { method: 'GET', path: `/:locale(${locales})/:type/:slug`, config: { auth: false }, handler: page },
    {
      method: 'GET',
      path: SITEMAP_PATH,
      config: { auth: false },
      handler: async (ctx: any) => send(ctx, 200, 'application/xml; charset=utf-8', await new SitePages(strapi).sitemap()),
    },
    {
      method: 'GET',
      path: ROBOTS_PATH,
      config: { auth: false },
      handler: async (ctx: any) => send(ctx, 200, 'text/plain; charset=utf-8', robots(publicUrl(strapi))),
    },
  ]);
}
