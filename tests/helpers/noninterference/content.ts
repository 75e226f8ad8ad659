import { PUBLIC_UIDS } from '../../../src/content/model/core';
import type { KnowledgeBase } from '../strapi';

/**
 * What the two instances hold. Both: the seed, plus what the seed lacks for the suite to mean
 * something (a record of every public type with media, one published in Italian only). The
 * second also: hidden content of every kind the issue names, written through the Document
 * Service as an editor's save would. Hidden values are markers (NASCOSTO = hidden) that sort
 * before ("!") or after ("~") every public text, dates far outside the public ones, numbers no
 * public record has, so that a filter, a comparison or a sort that reads them changes an answer.
 */

type Data = Record<string, unknown>;
const PUBLIC = (uid: string) => PUBLIC_UIDS.includes(uid);
// What Strapi keeps itself (timestamps, locale, the links between languages): never written here.
const STRAPI_OWN = new Set(['documentId', 'locale', 'localizations', 'createdAt', 'updatedAt', 'publishedAt', 'createdBy', 'updatedBy']);

/** The documents written here that anonymous callers must never see, and every value the databases hold. */
export interface HiddenFacts {
  hiddenDocumentIds: string[];
  /** Every scalar value either database holds (drafts and private fields included): what filters try. */
  values: { strings: string[]; numbers: number[]; dates: string[]; documentIds: string[]; ids: number[] };
}

/** A value for each scalar attribute: `tag` makes it distinctive, `flavour` decides how it sorts. */
function scalarValue(name: string, attr: any, tag: string, flavour: 'shared' | 'before' | 'after'): unknown {
  const text = flavour === 'shared' ? `Condiviso ${tag}` : `${flavour === 'before' ? '!!' : '~~'}NASCOSTO ${tag}`;
  const limit = (s: string) => (attr.maxLength ? s.slice(0, attr.maxLength) : s);
  switch (attr.type) {
    case 'string':
    case 'text':
      if (attr.regex && !new RegExp(attr.regex).test(text)) {
        // A constrained field (a licence code, …): the most distinctive value its pattern allows.
        const plain = `${flavour === 'shared' ? 'CONDIVISO' : 'NASCOSTO'}-${tag.replace(/[^A-Za-z0-9]+/g, '-')}`;
        return (
          [`https://${flavour === 'shared' ? 'condiviso' : 'nascosto'}.example.org/${encodeURIComponent(tag)}`, plain].find((v) =>
            new RegExp(attr.regex).test(v),
          ) ?? attr.default
        );
      }
      return /url|uri|website/i.test(name)
        ? `https://${flavour === 'shared' ? 'condiviso' : 'nascosto'}.example.org/${encodeURIComponent(tag)}`
        : limit(text);
    case 'email':
      return `${flavour === 'shared' ? 'condiviso' : 'nascosto'}.${tag.replace(/[^a-z0-9]/gi, '')}@example.org`;
    case 'enumeration':
      return flavour === 'before' ? attr.enum[0] : attr.enum[attr.enum.length - 1];
    case 'date':
      return { shared: '2021-03-04', before: '1901-01-02', after: '2098-12-30' }[flavour];
    case 'datetime':
      return { shared: '2021-03-04T10:00:00.000Z', before: '1901-01-02T01:00:00.000Z', after: '2098-12-30T23:00:00.000Z' }[flavour];
    case 'time':
      return { shared: '10:00:00.000', before: '00:01:00.000', after: '23:59:00.000' }[flavour];
    case 'integer':
      return { shared: 7, before: -424242, after: 424242 }[flavour];
    case 'decimal':
    case 'float':
      return { shared: 7.5, before: -4242.42, after: 4242.42 }[flavour];
    case 'boolean':
      return flavour !== 'after';
    default:
      return undefined;
  }
}

/**
 * Data for a record of `uid` from its model: every scalar, every component (repeatable ones
 * twice), relations to the given documents of their target, media to the given files.
 */
function recordData(
  kb: KnowledgeBase,
  uid: string,
  tag: string,
  flavour: 'shared' | 'before' | 'after',
  links: (target: string) => string[],
  files: number[],
  depth = 0,
): Data {
  const model: any = kb.strapi.contentTypes[uid as any] ?? kb.strapi.components[uid as any];
  const data: Data = {};
  for (const [name, attr] of Object.entries<any>(model.attributes)) {
    if (STRAPI_OWN.has(name) || (attr.private && flavour === 'shared')) continue;
    if (attr.type === 'uid')
      data[name] = `${flavour === 'shared' ? 'condiviso' : 'nascosto'}-${tag}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    else if (attr.type === 'component' && depth < 2) {
      const one = () => recordData(kb, attr.component, `${tag} ${name}`, flavour, links, files, depth + 1);
      data[name] = attr.repeatable ? [one(), one()] : one();
    } else if (attr.type === 'relation' && PUBLIC(attr.target ?? '') && !attr.mappedBy) {
      const ids = links(attr.target);
      if (ids.length) data[name] = /ToOne$/.test(attr.relation) ? ids[0] : ids;
    } else if (attr.type === 'media') {
      if (files.length) data[name] = attr.multiple ? files : files[0];
    } else {
      const value = scalarValue(name, attr, `${tag} ${name}`, flavour);
      if (value !== undefined) data[name] = value;
    }
  }
  return data;
}

const publicUids = (kb: KnowledgeBase) => Object.keys(kb.strapi.contentTypes).filter(PUBLIC);
const hasMedia = (kb: KnowledgeBase, uid: string) =>
  Object.values<any>(kb.strapi.contentTypes[uid as any].attributes).some((a) => a.type === 'media');

async function mediaFile(kb: KnowledgeBase, name: string): Promise<number> {
  // A file row is all a media field links to; the bytes are never read by the suite.
  const file = await kb.strapi.db.query('plugin::upload.file').create({
    data: {
      name,
      hash: name.replace(/\W/g, '_'),
      ext: '.pdf',
      mime: 'application/pdf',
      size: 1.5,
      url: `/uploads/${name.replace(/\W/g, '_')}.pdf`,
      provider: 'local',
      folderPath: '/',
    },
  });
  return file.id;
}

const publishedDocumentIds = async (kb: KnowledgeBase, uid: string): Promise<string[]> =>
  (
    await kb.strapi.documents(uid as any).findMany({ status: 'published', locale: 'it', fields: ['documentId'] as any, sort: 'id' as any })
  ).map((d: any) => d.documentId);

/** Before the copy: a published record of every public type, in Italian only, with media where the type has media. */
export async function addSharedContent(kb: KnowledgeBase): Promise<void> {
  const file = await mediaFile(kb, 'Allegato pubblico');
  for (const uid of publicUids(kb)) {
    const published = await publishedDocumentIds(kb, uid);
    const links = (target: string) => (target === uid ? published.slice(0, 1) : []);
    const data = recordData(kb, uid, `${uid.split('.').pop()}`, 'shared', links, hasMedia(kb, uid) ? [file] : []);
    if (uid === 'api::good-practice.good-practice') data.curationStatus = 'validated';
    if (uid === 'api::person.person') data.consentToPublish = true;
    const created = await kb.strapi.documents(uid as any).create({ locale: 'it', data } as any);
    await kb.strapi.documents(uid as any).publish({ documentId: created.documentId, locale: 'it' } as any);
    // A published record with media in both languages (the seed has no media).
    if (hasMedia(kb, uid) && published[0]) {
      for (const locale of ['it', 'en']) {
        await kb.strapi.documents(uid as any).update({ documentId: published[0], locale, data: attachments(kb, uid, [file]) } as any);
        await kb.strapi.documents(uid as any).publish({ documentId: published[0], locale } as any);
      }
    }
  }
}

const attachments = (kb: KnowledgeBase, uid: string, files: number[]): Data =>
  Object.fromEntries(
    Object.entries<any>(kb.strapi.contentTypes[uid as any].attributes)
      .filter(([, a]) => a.type === 'media')
      .map(([name, a]) => [name, a.multiple ? files : files[0]]),
  );

/** After the copy, in the second database only. */
export async function addHiddenContent(kb: KnowledgeBase): Promise<HiddenFacts> {
  const { strapi } = kb;
  const sharedFile = (await strapi.db.query('plugin::upload.file').findOne({ where: { name: 'Allegato pubblico' } })).id;
  const hiddenFile = await mediaFile(kb, 'NASCOSTO allegato');
  const files = [sharedFile, hiddenFile];
  const uids = publicUids(kb);
  const published: Record<string, string[]> = {};
  for (const uid of uids) published[uid] = await publishedDocumentIds(kb, uid);
  const drafts: Record<string, string> = {};
  const short = (uid: string) => uid.split('.').pop();

  // 1. A draft of a new record of every type, in both languages: never published.
  for (const uid of uids) {
    const data = recordData(kb, uid, `bozza ${short(uid)}`, 'after', () => [], files);
    if (uid === 'api::good-practice.good-practice')
      Object.assign(data, { curationStatus: 'validated', reviewerNote: '~~NASCOSTO nota del revisore (validata, non pubblicata)' });
    const created = await strapi.documents(uid as any).create({ locale: 'it', data } as any);
    drafts[uid] = created.documentId;
    const en = recordData(kb, uid, `draft ${short(uid)}`, 'before', () => [], files);
    await strapi.documents(uid as any).update({ documentId: created.documentId, locale: 'en', data: { ...en, slug: data.slug } } as any);
  }
  // People without consent, and with consent withdrawn: drafts only (withdrawing consent from a
  // published person unpublishes them, which is public).
  const person = 'api::person.person';
  await strapi.documents(person as any).update({
    documentId: drafts[person],
    locale: 'it',
    data: { consentToPublish: false, fullName: '~~NASCOSTO Zelda Senzaconsenso' },
  } as any);
  const withdrawn = await strapi.documents(person as any).create({
    locale: 'it',
    data: {
      ...recordData(kb, person, 'consenso revocato', 'before', () => [], []),
      fullName: '!!NASCOSTO Aldo Revocato',
      consentToPublish: true,
    },
  } as any);
  await strapi.documents(person as any).update({
    documentId: withdrawn.documentId,
    locale: 'en',
    data: recordData(kb, person, 'consent withdrawn', 'after', () => [], []),
  } as any);
  await strapi
    .documents(person as any)
    .update({ documentId: withdrawn.documentId, locale: 'it', data: { consentToPublish: false } } as any);
  const hiddenPeople = [drafts[person], withdrawn.documentId];

  // 2. Relations of the new drafts: to published records and to the other drafts.
  for (const uid of uids) {
    const links = (target: string) =>
      target === person
        ? [...hiddenPeople, ...published[target].slice(0, 1)]
        : [drafts[target], ...published[target].slice(0, 1)].filter(Boolean);
    const data = recordData(kb, uid, `bozza ${short(uid)}`, 'after', links, files);
    await strapi
      .documents(uid as any)
      .update({ documentId: drafts[uid], locale: 'it', data: relationsAndComponents(kb, uid, data) } as any);
  }

  // 3. Unpublished edits of a published record of every type (the first and the last): text,
  // dates, enums, components (with hidden people as speakers), relations replaced — hidden drafts
  // added, the published ones removed — and media attached.
  for (const uid of uids) {
    for (const [n, documentId] of [published[uid][0], published[uid].at(-1)].entries()) {
      if (!documentId) continue;
      const links = (target: string) => (n === 0 ? (target === person ? hiddenPeople : [drafts[target]]) : []);
      const data = recordData(kb, uid, `modifica ${n} ${short(uid)}`, n === 0 ? 'before' : 'after', links, n === 0 ? files : []);
      delete data.slug; // one slug per record in every language: kept, like most edits do
      if (uid === person) data.consentToPublish = true; // false would unpublish (public)
      if (uid === 'api::good-practice.good-practice')
        Object.assign(data, { curationStatus: 'validated', reviewerNote: '!!NASCOSTO modifica validata, non pubblicata' });
      for (const locale of ['it', 'en']) await strapi.documents(uid as any).update({ documentId, locale, data } as any);
    }
  }

  // 4. A language never published: English drafts of the records published in Italian only.
  for (const uid of uids) {
    const [shared] = await strapi
      .documents(uid as any)
      .findMany({ status: 'published', locale: 'it', filters: { slug: { $startsWith: 'condiviso-' } } as any });
    if (!shared) continue;
    const data = recordData(kb, uid, `inedito ${short(uid)}`, 'before', (target) => [drafts[target]].filter(Boolean), files);
    data.slug = (shared as any).slug;
    if (uid === person) data.consentToPublish = true;
    await strapi.documents(uid as any).update({ documentId: shared.documentId, locale: 'en', data } as any);
  }

  return { hiddenDocumentIds: [...Object.values(drafts), withdrawn.documentId], values: await everyValue(kb) };
}

const relationsAndComponents = (kb: KnowledgeBase, uid: string, data: Data): Data =>
  Object.fromEntries(
    Object.entries(data).filter(([name]) =>
      ['relation', 'component'].includes((kb.strapi.contentTypes[uid as any].attributes as any)[name].type),
    ),
  );

/** Every scalar value of every public row and component, hidden or not. */
async function everyValue(kb: KnowledgeBase): Promise<HiddenFacts['values']> {
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const dates = new Set<string>();
  const documentIds = new Set<string>();
  const ids = new Set<number>();
  const uids = [...publicUids(kb), ...Object.keys(kb.strapi.components), 'plugin::upload.file'];
  for (const uid of uids) {
    const model: any = kb.strapi.contentTypes[uid as any] ?? kb.strapi.components[uid as any];
    for (const row of await kb.strapi.db.query(uid as any).findMany({})) {
      for (const [name, value] of Object.entries<any>(row)) {
        const type = model.attributes[name]?.type ?? (name === 'id' ? 'id' : name === 'documentId' ? 'documentId' : undefined);
        if (value === null || value === undefined) continue;
        if (type === 'id') ids.add(value);
        else if (type === 'documentId') documentIds.add(value);
        else if (['date', 'datetime', 'time'].includes(type) || value instanceof Date)
          dates.add(value instanceof Date ? value.toISOString() : String(value));
        else if (typeof value === 'number') numbers.add(value);
        else if (typeof value === 'string' && value.length <= 300) strings.add(value);
      }
    }
  }
  return {
    strings: [...strings].sort(),
    numbers: [...numbers].sort((a, b) => a - b),
    dates: [...dates].sort(),
    documentIds: [...documentIds].sort(),
    ids: [...ids].sort((a, b) => a - b),
  };
}
