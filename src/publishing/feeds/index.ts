/**
 * Strapi adapter of the Atom feeds: which records a feed lists and when each last changed come
 * from the change feed (its latest event per record and language, only records published now);
 * what an entry says comes from the published record, read as an anonymous partner reads it.
 */
import type { Core } from '@strapi/strapi';
import type { Locale } from '../../content/locales/core';
import type { Attributes, PublicType } from '../../content/model/core';
import { PUBLIC_TYPES } from '../../content/model/core';
import { FEEDS_ROOT, feedAddress, feedPath, recordPath, typePath, uidOf, type FeedAddress } from '../../content/paths/core';
import { lastChangeAt, latestPublications, type LatestPublication } from '../../public-api/change-feed';
import { licenseUrl, recordIri } from '../../public-api/json-ld/core';
import { withinFilters } from '../../public-api/territory-filter';
import settings from '../../../data/open-data/catalog.json';
import { publicUrl } from '../open-data';
import { SERVER_LINKS, TITLE_FIELDS, feedTitle, inferencesOf, summaryField, titleOf, type Model } from '../site/core';
import { findPublished, send, singular, typeNames } from '../site';
import { ATOM_MEDIA_TYPE, FEED_ENTRIES, atomFeed, relationsTo, type FeedEntry } from './core';

type Rec = Record<string, any>;

/** Documents per query when gathering a theme's or a territory's records. */
const PAGE_SIZE = 500;

const modelOf = (strapi: Core.Strapi, type: PublicType) => strapi.getModel(uidOf(type) as any).attributes as unknown as Attributes;

/** The records about a theme or in a territory (its places below it included), type by type: their filters. */
function scopeFilters(strapi: Core.Strapi, feed: FeedAddress & { kind: 'theme' | 'territory' }): Map<PublicType, Rec> {
  const models = Object.fromEntries(PUBLIC_TYPES.map((type) => [type, modelOf(strapi, type)])) as Record<PublicType, Attributes>;
  const out = new Map<PublicType, Rec>();
  for (const [type, fields] of relationsTo(models, uidOf(feed.kind))) {
    const each = fields.map((field) =>
      feed.kind === 'theme' ? { [field]: { slug: { $eq: feed.slug } } } : withinFilters(strapi, uidOf(type), field, feed.slug),
    );
    out.set(type, each.length === 1 ? each[0] : { $or: each });
  }
  return out;
}

/** The latest publications among the published records matching `filters`, a page of documents at a time. */
async function latestAmong(strapi: Core.Strapi, type: PublicType, locale: Locale, filters: Rec): Promise<LatestPublication[]> {
  const found: LatestPublication[] = [];
  for (let after = 0; ;) {
    const page = await findPublished(strapi, type, {
      locale,
      filters: { $and: [filters, { id: { $gt: after } }] },
      fields: ['documentId'],
      sort: 'id:asc',
      limit: PAGE_SIZE,
    });
    if (page.length) {
      const documentIds = page.map((record) => record.documentId);
      found.push(...(await latestPublications(strapi, { locale, types: [type], documentIds, limit: FEED_ENTRIES })));
    }
    if (page.length < PAGE_SIZE) return found;
    after = page[page.length - 1].id;
  }
}

/** What the feed lists, newest first. */
async function latest(strapi: Core.Strapi, feed: FeedAddress): Promise<LatestPublication[]> {
  if (feed.kind === 'all') return latestPublications(strapi, { locale: feed.locale, limit: FEED_ENTRIES });
  if (feed.kind === 'type') return latestPublications(strapi, { locale: feed.locale, types: [feed.type], limit: FEED_ENTRIES });
  const found: LatestPublication[] = [];
  for (const [type, filters] of scopeFilters(strapi, feed)) found.push(...(await latestAmong(strapi, type, feed.locale, filters)));
  return found.sort((a, b) => b.sequence - a.sequence).slice(0, FEED_ENTRIES);
}

/** The entries of these publications, in their order: what each published record says in the feed's language. */
async function entries(strapi: Core.Strapi, locale: Locale, publications: LatestPublication[], baseUrl: string): Promise<FeedEntry[]> {
  const records = new Map<string, Rec>();
  for (const type of new Set(publications.map((p) => p.type))) {
    const model = modelOf(strapi, type) as unknown as Model;
    const documentIds = publications.filter((p) => p.type === type).map((p) => p.documentId);
    const summary = summaryField(model);
    const populate: Rec = {};
    if (model.themes?.target === uidOf('theme')) populate.themes = { fields: ['slug', 'name'] };
    if (model.inferences) populate.inferences = true;
    const found = await findPublished(strapi, type, {
      locale,
      filters: { documentId: { $in: documentIds } },
      fields: [
        'documentId',
        'slug',
        ...TITLE_FIELDS.filter((f) => model[f]),
        ...(summary ? [summary] : []),
        ...(model.license ? ['license'] : []),
      ],
      populate,
      limit: documentIds.length,
    });
    for (const record of found) records.set(`${type} ${record.documentId}`, record);
  }
  const ctx = { baseUrl, locale };
  const themeScheme = `${baseUrl}/api/themes?locale=${locale}`;
  return publications.flatMap(({ type, documentId, at }): FeedEntry[] => {
    const record = records.get(`${type} ${documentId}`);
    if (!record) return [];
    const summary = summaryField(modelOf(strapi, type) as unknown as Model);
    return [
      {
        id: recordIri(type, record, ctx),
        link: `${baseUrl}${recordPath(locale, type, record.slug)}`,
        title: titleOf(record),
        summary: (summary && record[summary]) || undefined,
        summaryInferred: summary ? inferencesOf(record).get(summary) : undefined,
        updated: at,
        license: record.license ? { id: record.license, url: licenseUrl(record.license) } : undefined,
        categories: [
          { term: type, label: singular(type, locale) },
          ...((record.themes ?? []) as Rec[]).map((theme) => ({ term: theme.slug, label: theme.name, scheme: themeScheme })),
        ],
      },
    ];
  });
}

/** The feed at an address: its Atom document and when what it follows last changed, or why there is none (a 404). */
export async function feedAt(strapi: Core.Strapi, feed: FeedAddress): Promise<{ atom: string; updated: Date } | { problem: string }> {
  const { locale } = feed;
  const baseUrl = publicUrl(strapi);
  let title = feedTitle(locale);
  let page = `${baseUrl}${SERVER_LINKS.home(locale)}`;
  if (feed.kind === 'type') {
    title = feedTitle(locale, typeNames(locale)[feed.type]);
    page = `${baseUrl}${typePath(locale, feed.type)}`;
  } else if (feed.kind !== 'all') {
    const [subject] = await findPublished(strapi, feed.kind, {
      locale,
      filters: { slug: { $eq: feed.slug } },
      fields: ['slug', 'name'],
      limit: 1,
    });
    if (!subject) return { problem: `No ${feed.kind} "${feed.slug}" is published in the locale "${locale}".` };
    title = feedTitle(locale, titleOf(subject));
    page = `${baseUrl}${recordPath(locale, feed.kind, subject.slug)}`;
  }
  // A theme's or a territory's feed changes with the records of any type: the language's last change.
  const updated = (await lastChangeAt(strapi, { locale, types: feed.kind === 'type' ? [feed.type] : undefined })) ?? new Date(0);
  const listed = await entries(strapi, locale, await latest(strapi, feed), baseUrl);
  const self = `${baseUrl}${feedPath(feed)}`;
  return {
    updated,
    atom: atomFeed(
      {
        locale,
        self,
        page,
        title,
        updated,
        publisher: { name: settings.publisher.name[locale], uri: baseUrl },
      },
      listed,
    ),
  };
}

/**
 * GET /feeds/…: the Atom feeds, public like the pages they link (rate limits, any origin, by the
 * edge's view of the path). Read fresh on every request, as the pages are; the ETag and
 * Last-Modified let a feed reader's next poll be a 304.
 */
export function registerFeeds(strapi: Core.Strapi): void {
  const handler = async (ctx: any) => {
    const feed = feedAddress(ctx.path);
    if ('problem' in feed) return ctx.notFound(feed.problem);
    const found = await feedAt(strapi, feed);
    if ('problem' in found) return ctx.notFound(found.problem);
    send(ctx, 200, ATOM_MEDIA_TYPE, found.atom, found.updated);
  };
  // Any locale, type or folder reaches the handler, which names what is wrong with an address.
  strapi.server.routes(
    [`${FEEDS_ROOT}/:file`, `${FEEDS_ROOT}/:locale/:file`, `${FEEDS_ROOT}/:locale/:scope/:file`].map((path) => ({
      method: 'GET',
      path,
      config: { auth: false },
      handler,
    })),
  );
}
