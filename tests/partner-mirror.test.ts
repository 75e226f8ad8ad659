/**
 * The partner mirror (examples/partner-mirror) against a knowledge base that editors keep
 * changing: a seeded random sequence of editor operations (create and publish, edit and publish,
 * draft saves, unpublish, delete, add or remove a locale, withdraw and give back a person's
 * consent, change relations), with the knowledge base restarted halfway on the same database and
 * the mirror synced at random moments. After each sync the mirror equals a full dump of the
 * public API; at the end so does a mirror synced from zero.
 *
 * MIRROR_SEED replays a run; MIRROR_OPERATIONS makes it longer (default 500).
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { readMirror, recordQueries, sync, type PublicRecord, type RecordQuery } from '../examples/partner-mirror/src/mirror';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { closeServer, listen } from './helpers/front-end';
import { Random } from './helpers/noninterference/generator';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

const SEED = Number(process.env.MIRROR_SEED ?? 17);
const OPERATIONS = Number(process.env.MIRROR_OPERATIONS ?? 500);
const LOCALES = ['it', 'en'];

let database: TestDatabase;
let kb: KnowledgeBase | undefined;
let url: string;
let dir: string;

async function start(): Promise<void> {
  kb = await startKnowledgeBase({ database });
  url = await listen(kb);
}
async function stop(): Promise<void> {
  if (!kb) return;
  await closeServer(kb.strapi.server.httpServer);
  await kb.stop();
  kb = undefined;
}

beforeAll(async () => {
  database = await createTestDatabase('seeded');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'partner-mirror-'));
  await start();
}, 180000);
afterAll(async () => {
  await stop();
  await database?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Everything the public API lists, type by type and locale by locale, page by page. */
async function publicDump(queries: Map<string, RecordQuery>): Promise<Map<string, PublicRecord>> {
  const dump = new Map<string, PublicRecord>();
  for (const [type, query] of queries) {
    for (const locale of LOCALES) {
      for (let page = 1; ; page += 1) {
        const res = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: `query Dump($locale: I18NLocaleCode, $page: Int) {
              records: ${query.listQuery}(locale: $locale, sort: ["documentId"], pagination: { page: $page, pageSize: 100 }) { ${query.selection} } }`,
            variables: { locale, page },
          }),
        });
        const body = await res.json();
        expect(body.errors).toBeUndefined();
        for (const record of body.data.records) dump.set(`${type} ${record.documentId} ${locale}`, record);
        if (body.data.records.length < 100) break;
      }
    }
  }
  return dump;
}

async function expectMirrorEqualsDump(file: string, when: string): Promise<number> {
  const dump = await publicDump(await recordQueries(url));
  const mirror = readMirror(file);
  const missing = [...dump.keys()].filter((key) => !mirror.has(key));
  const extra = [...mirror.keys()].filter((key) => !dump.has(key));
  const different = [...dump.keys()].filter((key) => mirror.has(key) && JSON.stringify(mirror.get(key)) !== JSON.stringify(dump.get(key)));
  if (missing.length || extra.length || different.length) {
    const first = different[0];
    throw new Error(
      `${when}: the mirror differs from the public API: missing ${missing.slice(0, 5)}; extra ${extra.slice(0, 5)}; different ${different.slice(0, 5)}` +
        (first ? `\nmirror ${JSON.stringify(mirror.get(first))}\npublic ${JSON.stringify(dump.get(first))}` : ''),
    );
  }
  return dump.size;
}

// ---- editor operations ----------------------------------------------------------------------

type Type = 'theme' | 'territory' | 'organization' | 'person' | 'good-practice' | 'event' | 'thematic-table';
const TYPES: Type[] = ['theme', 'territory', 'organization', 'person', 'good-practice', 'event', 'thematic-table'];
const uid = (type: Type) => `api::${type}.${type}`;
const docs = (type: Type) => kb!.strapi.documents(uid(type) as any);

/** What each type needs to be published, and the text an edit changes. */
function required(type: Type, n: number, locale: string): Record<string, unknown> {
  const label = `Mirror ${type} ${n} ${locale}`;
  const source = { source: { title: 'Partner mirror test' } };
  switch (type) {
    case 'theme':
      return { name: label, ...source };
    case 'territory':
      return { name: label, level: 'municipality', ...source };
    case 'organization':
      return { name: label, type: 'association', ...source };
    case 'person':
      return { fullName: label, consentToPublish: true, ...source };
    case 'good-practice':
      return { title: label, summary: `${label}: summary.`, implementationStatus: 'ongoing', curationStatus: 'validated', ...source };
    case 'event':
      return { title: label, type: 'meeting', startDate: '2023-03-01T09:00:00.000Z', ...source };
    case 'thematic-table':
      return { title: label, ...source };
  }
}
const TEXT: Record<Type, string> = {
  theme: 'name',
  territory: 'name',
  organization: 'name',
  person: 'fullName',
  'good-practice': 'summary',
  event: 'title',
  'thematic-table': 'title',
};

/** Relations an editor changes: [type, attribute, target type, to-many]. */
const RELATIONS: [Type, string, Type, boolean][] = [
  ['good-practice', 'themes', 'theme', true],
  ['good-practice', 'territories', 'territory', true],
  ['good-practice', 'leadOrganization', 'organization', false],
  ['event', 'organizers', 'organization', true],
  ['thematic-table', 'facilitators', 'person', true],
  ['thematic-table', 'goodPractices', 'good-practice', true],
  ['thematic-table', 'event', 'event', false],
  ['territory', 'parent', 'territory', false],
  ['organization', 'territory', 'territory', false],
];

interface Row {
  documentId: string;
  locale: string;
  published: boolean;
}
async function rows(type: Type): Promise<Row[]> {
  const found = await kb!.strapi.db
    .query(uid(type) as any)
    .findMany({ select: ['documentId', 'locale', 'publishedAt'], orderBy: { id: 'asc' } });
  return found.map((row: any) => ({ documentId: row.documentId, locale: row.locale, published: row.publishedAt != null }));
}

let created = 0;
async function operate(rng: Random): Promise<string> {
  const type = rng.pick(TYPES);
  const all = await rows(type);
  const drafts = all.filter((row) => !row.published);
  const published = all.filter((row) => row.published);
  const publish = (documentId: string, locale: string) => docs(type).publish({ documentId, locale } as any);
  const roll = rng.next();
  if (roll < 0.14 || !drafts.length) {
    created += 1;
    const doc = await docs(type).create({
      locale: 'it',
      data: { ...required(type, created, 'it'), slug: `mirror-${type}-${created}` },
    } as any);
    if (rng.chance(0.8)) await publish(doc.documentId, 'it');
    return 'create';
  }
  const draft = rng.pick(drafts);
  if (roll < 0.34) {
    await docs(type).update({
      documentId: draft.documentId,
      locale: draft.locale,
      data: { [TEXT[type]]: `Edit ${rng.int(1e6)} ${draft.locale}` },
    } as any);
    if (rng.chance(0.75)) await publish(draft.documentId, draft.locale);
    return 'edit';
  }
  if (roll < 0.44) {
    if (!published.length) return 'nothing';
    const row = rng.pick(published);
    await docs(type).unpublish({ documentId: row.documentId, locale: row.locale } as any);
    return 'unpublish';
  }
  if (roll < 0.5) {
    await docs(type).delete({ documentId: draft.documentId, locale: '*' } as any);
    return 'delete';
  }
  if (roll < 0.6) {
    const locales = new Set(drafts.filter((row) => row.documentId === draft.documentId).map((row) => row.locale));
    if (locales.has('en')) {
      if (locales.size < 2) return 'nothing';
      await docs(type).delete({ documentId: draft.documentId, locale: 'en' } as any);
      return 'remove a locale';
    }
    const [it] = await docs(type).findMany({ locale: 'it', filters: { documentId: draft.documentId }, fields: ['slug'] } as any);
    await docs(type).update({
      documentId: draft.documentId,
      locale: 'en',
      data: { ...required(type, rng.int(1e6), 'en'), ...(it ? { slug: (it as any).slug } : {}) },
    } as any);
    if (rng.chance(0.8)) await publish(draft.documentId, 'en');
    return 'add a locale';
  }
  if (roll < 0.7) {
    const people = await rows('person');
    const person = rng.pick(people);
    const withdraw = people.some((row) => row.documentId === person.documentId && row.published);
    await kb!.strapi.documents('api::person.person').update({
      documentId: person.documentId,
      locale: person.locale,
      data: { consentToPublish: !withdraw },
    } as any);
    if (!withdraw)
      await kb!.strapi.documents('api::person.person').publish({ documentId: person.documentId, locale: person.locale } as any);
    return withdraw ? 'withdraw consent' : 'give consent back';
  }
  if (roll < 0.95) {
    const [owner, attribute, target, toMany] = rng.pick(RELATIONS);
    const owners = (await rows(owner)).filter((row) => !row.published);
    if (!owners.length) return 'nothing';
    const row = rng.pick(owners);
    const targets = [...new Set((await rows(target)).filter((t) => t.locale === row.locale).map((t) => t.documentId))];
    const chosen = targets.length ? rng.some(targets, 3) : [];
    const value = toMany ? chosen : rng.chance(0.2) ? null : (chosen[0] ?? null);
    await kb!.strapi
      .documents(uid(owner) as any)
      .update({ documentId: row.documentId, locale: row.locale, data: { [attribute]: value } } as any);
    if (rng.chance(0.7)) await kb!.strapi.documents(uid(owner) as any).publish({ documentId: row.documentId, locale: row.locale } as any);
    return 'change a relation';
  }
  await docs(type)
    .discardDraft({ documentId: draft.documentId, locale: draft.locale } as any)
    .catch(() => undefined);
  return 'discard a draft';
}

test(`${OPERATIONS} random editor operations (seed ${SEED}), a restart, random syncs: the mirror equals the public API after each sync`, async () => {
  const rng = new Random(SEED);
  const file = path.join(dir, 'mirror.db');
  const done = new Map<string, number>();
  const refused = new Map<string, number>();
  let syncs = 0;
  let changes = 0;
  let records = 0;
  const syncAndCompare = async (when: string) => {
    const result = await sync(url, file);
    expect(result.resynced).toBe(false);
    changes += result.changes;
    syncs += 1;
    records = await expectMirrorEqualsDump(file, when);
  };

  await syncAndCompare('first sync, from zero');
  for (let i = 1; i <= OPERATIONS; i += 1) {
    try {
      const what = await operate(rng);
      done.set(what, (done.get(what) ?? 0) + 1);
    } catch (error) {
      // An editorial rule may refuse an operation (a slug taken, a relation the model forbids): a refusal, never a crash.
      const name = (error as Error).name;
      if (!['ValidationError', 'ApplicationError', 'PolicyError'].includes(name))
        throw new Error(`operation ${i}: ${(error as Error).message}`, { cause: error });
      refused.set(name, (refused.get(name) ?? 0) + 1);
    }
    if (i === Math.floor(OPERATIONS / 2)) {
      await stop();
      await start();
    }
    if (rng.chance(1 / 25)) await syncAndCompare(`after operation ${i} (seed ${SEED})`);
    if (i % 50 === 0) console.log(`[partner-mirror] ${i} operations, ${syncs} syncs, ${Math.round(performance.now() / 1000)} s`);
  }
  await syncAndCompare('last sync');

  // A partner starting now syncs from zero to the same copy.
  const fresh = path.join(dir, 'fresh.db');
  expect((await sync(url, fresh)).resynced).toBe(false);
  await expectMirrorEqualsDump(fresh, 'a new mirror, from zero');

  const count = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);
  expect(count(done) + count(refused)).toBe(OPERATIONS);
  expect(count(refused)).toBeLessThan(OPERATIONS / 5);
  for (const what of ['create', 'edit', 'unpublish', 'delete', 'add a locale', 'remove a locale', 'withdraw consent', 'change a relation'])
    expect(done.get(what) ?? 0).toBeGreaterThan(0);
  console.log(
    `[partner-mirror] ${OPERATIONS} operations (${[...done].map(([k, v]) => `${v} ${k}`).join(', ')}; refused: ${count(refused)}), ` +
      `${syncs} syncs, ${changes} changes read, ${records} public records at the end`,
  );
}, 600000);
