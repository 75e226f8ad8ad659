/**
 * The lossless archive: kb:export from a seeded instance with a draft, an edited draft over a
 * published version, both locales and a media file; kb:import into a fresh instance (same engine
 * and the other engine) and export again gives the same archive; a second import changes nothing;
 * imports merge by slug into a populated instance; a bad archive writes nothing.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawnSync } from 'child_process';
import sharp from 'sharp';
import * as tar from 'tar';
import { testEngine } from './helpers/database';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';
import { CONSENT_REQUIRED } from '../src/editorial/consent/core';
import { sha256 } from '../src/publishing/archive/core';

const { createDatabase } = require('../scripts/lib/databases');

const appDir = path.resolve(__dirname, '..');
const archive = () => require(path.join(appDir, 'dist/src/publishing/archive'));
const quiet = { log: () => undefined };
const PRACTICE = 'api::good-practice.good-practice';
const PERSON = 'api::person.person';
const CYCLE = 'incontri-formativi-nei-territori';
const FORUM = 'forum-regionale-sui-fenomeni-migratori';
const DRAFT = 'accoglienza-diffusa-nei-piccoli-comuni';
const EDITED_TITLE = 'Forum regionale sui fenomeni migratori (bozza rivista)';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-archive-test-'));
let crafted = 0;

/** Every file of an archive, by name. */
async function unpack(file: string): Promise<Record<string, Buffer>> {
  const dir = fs.mkdtempSync(path.join(work, 'unpacked-'));
  await tar.x({ file, cwd: dir });
  const out: Record<string, Buffer> = {};
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = fs.readFileSync(full);
    }
  };
  walk(dir);
  return out;
}

const linesOf = (files: Record<string, Buffer>, name: string) =>
  files[name]
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((text) => JSON.parse(text));

/** The two archives hold the same files with the same bytes; the manifests differ only in createdAt. */
async function expectSameArchive(a: string, b: string) {
  const [one, two] = [await unpack(a), await unpack(b)];
  expect(Object.keys(two).sort()).toEqual(Object.keys(one).sort());
  for (const name of Object.keys(one)) {
    if (name === 'manifest.json') continue;
    expect([name, two[name].toString('utf8')]).toEqual([name, one[name].toString('utf8')]);
  }
  const manifest = (files: Record<string, Buffer>) => ({
    ...JSON.parse(files['manifest.json'].toString('utf8')),
    createdAt: 'documented difference',
  });
  expect(manifest(two)).toEqual(manifest(one));
}

/** A changed copy of an archive; the manifest's checksums follow the change unless `rehash` is false. */
async function craft(from: string, change: (dir: string) => void, { rehash = true } = {}): Promise<string> {
  const dir = fs.mkdtempSync(path.join(work, 'crafted-'));
  await tar.x({ file: from, cwd: dir });
  change(dir);
  const manifestFile = path.join(dir, 'manifest.json');
  if (rehash && fs.existsSync(manifestFile)) {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    for (const name of Object.keys(manifest.files)) {
      const bytes = fs.readFileSync(path.join(dir, name));
      manifest.files[name] = { sha256: sha256(bytes), bytes: bytes.length };
    }
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  }
  const file = path.join(work, `crafted-${(crafted += 1)}.tar.gz`);
  await tar.c({ gzip: true, file, cwd: dir }, fs.readdirSync(dir));
  return file;
}

const editLines = (dir: string, name: string, edit: (line: any) => any) => {
  const file = path.join(dir, name);
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((text) => JSON.stringify(edit(JSON.parse(text))));
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
};

/** Rows of every table Strapi knows (content, components, links, media, search index). */
async function rowCounts(kb: KnowledgeBase): Promise<Record<string, number>> {
  const tables = new Set<string>(['search_entries']);
  for (const model of kb.strapi.db.metadata.values()) {
    tables.add(model.tableName);
    for (const attribute of Object.values(model.attributes) as any[]) if (attribute.joinTable) tables.add(attribute.joinTable.name);
  }
  const counts: Record<string, number> = {};
  for (const table of [...tables].sort()) counts[table] = Number((await kb.strapi.db.connection(table).count({ n: '*' }))[0].n);
  return counts;
}

/** What a partner site sees of the good practices, in both languages. */
const PARTNER_VIEW = `query($locale: I18NLocaleCode) {
  goodPractices(locale: $locale, sort: "slug", pagination: { pageSize: 100 }) {
    documentId slug title summary implementationStatus attachments { url alternativeText }
    themes { slug name } territories { slug } project { slug } outcomes { slug } source { title note } license
  }
  people(sort: "slug", pagination: { pageSize: 100 }) { slug fullName affiliations { jobTitle organization { slug } } }
  events { slug agenda { title speakers { slug } thematicTable { slug } } }
}`;
const partnerView = async (kb: KnowledgeBase) => ({
  it: await kb.data(PARTNER_VIEW, { locale: 'it' }),
  en: await kb.data(PARTNER_VIEW, { locale: 'en' }),
});

const engine = testEngine();
const otherEngine = engine === 'sqlite' ? 'postgres' : 'sqlite';
const first = path.join(work, 'first.tar.gz');
let sourceView: Awaited<ReturnType<typeof partnerView>>;
let uploads: { name: string; bytes: Buffer }[] = [];
let draftDocumentId: string;
/** The instance's own uploads folder (tests/helpers/strapi.ts): a new one holds none of the media, as a new server. */
const uploadsDir = (kb: KnowledgeBase) => path.join(kb.strapi.dirs.static.public, 'uploads');

beforeAll(async () => {
  const source = await startKnowledgeBase();
  try {
    const practices = source.strapi.documents(PRACTICE as any);
    const find = async (slug: string) => (await practices.findFirst({ filters: { slug }, locale: 'it', status: 'draft' } as any))!;

    // A media file through the upload plugin (an image, so it has a resized format too), published with a practice.
    const png = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#2a6f97' } })
      .png()
      .toBuffer();
    const pngFile = path.join(work, 'leaflet.png');
    fs.writeFileSync(pngFile, png);
    const [file] = await source.strapi
      .plugin('upload')
      .service('upload')
      .upload({
        data: { fileInfo: { alternativeText: 'Leaflet of the training cycle', caption: 'Volantino' } },
        files: { filepath: pngFile, originalFilename: 'leaflet.png', mimetype: 'image/png', size: png.length },
      });
    const cycle = await find(CYCLE);
    await practices.update({ documentId: cycle.documentId, locale: 'it', data: { attachments: [file.id] } } as any);
    await practices.publish({ documentId: cycle.documentId, locale: 'it' } as any);
    uploads = [file.url, ...Object.values(file.formats ?? {}).map((format: any) => format.url)].map((url: string) => ({
      name: path.basename(url),
      bytes: fs.readFileSync(path.join(uploadsDir(source), path.basename(url))),
    }));

    // An edited draft over a published version.
    const forum = await find(FORUM);
    await practices.update({ documentId: forum.documentId, locale: 'it', data: { title: EDITED_TITLE } } as any);

    // A practice that is only a draft, in Italian and English, with a private reviewer note and relations.
    const theme = await source.strapi
      .documents('api::theme.theme')
      .findFirst({ filters: { slug: 'integrazione-sociale' }, locale: 'it' } as any);
    const draft = await practices.create({
      locale: 'it',
      data: {
        title: 'Accoglienza diffusa nei piccoli comuni',
        slug: DRAFT,
        summary: 'Bozza: non ancora rivista.',
        implementationStatus: 'planned',
        reviewerNote: 'Nota privata: verificare le cifre.',
        themes: [theme!.documentId],
        targetGroups: [{ group: 'asylum_seekers_and_refugees' }, { group: 'local_communities' }],
        source: { title: 'Appunti interni', note: 'Bozza di lavoro' },
      },
    } as any);
    draftDocumentId = draft.documentId;
    await practices.update({
      documentId: draft.documentId,
      locale: 'en',
      data: { title: 'Scattered reception in small towns', summary: 'Draft: not reviewed yet.', source: { title: 'Internal notes' } },
    } as any);

    // A person without consent, with a private e-mail: archived, never public.
    await source.strapi.documents(PERSON as any).create({
      locale: 'it',
      data: {
        fullName: 'Persona Riservata',
        slug: 'persona-riservata',
        email: 'riservata@example.org',
        consentToPublish: false,
        source: { title: 'Registro interno' },
      },
    } as any);

    sourceView = await partnerView(source);
    await archive().exportArchive(source.strapi, first, quiet);
  } finally {
    await source.stop();
  }
}, 300000);

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe('the archive', () => {
  let files: Record<string, Buffer>;
  beforeAll(async () => {
    files = await unpack(first);
  });

  test('is a tar.gz that standard tools read, manifest first, with a checksum for every file', () => {
    const listing = spawnSync('tar', ['-tzf', first], { encoding: 'utf8' });
    expect(listing.status).toBe(0);
    const names = listing.stdout.split('\n').filter(Boolean);
    expect(names[0]).toBe('manifest.json');
    expect(names).toEqual(
      expect.arrayContaining([
        'records/good-practices.jsonl',
        'records/people.jsonl',
        'media.jsonl',
        ...uploads.map(({ name }) => `uploads/${name}`),
      ]),
    );

    const manifest = JSON.parse(files['manifest.json'].toString('utf8'));
    expect(manifest).toMatchObject({
      format: 'comin40-knowledge-base-archive',
      formatVersion: 1,
      contentModel: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(Object.keys(manifest.files).sort()).toEqual(
      Object.keys(files)
        .filter((name) => name !== 'manifest.json')
        .sort(),
    );
    for (const [name, { sha256: sum, bytes }] of Object.entries<any>(manifest.files))
      expect([name, sum, bytes]).toEqual([name, sha256(files[name]), files[name].length]);
    // 4 seeded practices (it, en; draft and published) and one draft in it and en.
    expect(manifest.counts['good-practices']).toEqual({ documents: 5, versions: 18 });
    expect(manifest.media).toEqual({ files: 1 });
  });

  test('holds drafts and published versions apart, private fields, relations by stable key, media by file', () => {
    const practices = linesOf(files, 'records/good-practices.jsonl');
    const version = (slug: string, locale: string, status: string) =>
      practices.find((l) => l.slug === slug && l.locale === locale && l.status === status);

    expect(version(FORUM, 'it', 'draft').data.title).toBe(EDITED_TITLE);
    expect(version(FORUM, 'it', 'published').data.title).not.toBe(EDITED_TITLE);

    const draft = version(DRAFT, 'it', 'draft');
    expect(version(DRAFT, 'it', 'published')).toBeUndefined();
    expect(version(DRAFT, 'en', 'draft').data.title).toBe('Scattered reception in small towns');
    expect(draft).toMatchObject({ documentId: draftDocumentId, publishedAt: null });
    expect(draft.data).toMatchObject({
      reviewerNote: 'Nota privata: verificare le cifre.',
      curationStatus: 'submitted',
      themes: [{ documentId: expect.any(String), slug: 'integrazione-sociale' }],
      targetGroups: [{ group: 'asylum_seekers_and_refugees' }, { group: 'local_communities' }],
      source: { title: 'Appunti interni', note: 'Bozza di lavoro', url: null, publisher: null, date: null },
    });

    const [media] = linesOf(files, 'media.jsonl');
    expect(media).toMatchObject({
      alternativeText: 'Leaflet of the training cycle',
      mime: 'image/png',
      bytes: uploads.map(({ name }) => `uploads/${name}`),
    });
    expect(version(CYCLE, 'it', 'published').data.attachments).toEqual([media.hash]);
    for (const { name, bytes } of uploads) expect(files[`uploads/${name}`].equals(bytes)).toBe(true);

    const person = linesOf(files, 'records/people.jsonl').find((l) => l.slug === 'persona-riservata');
    expect(person).toMatchObject({ status: 'draft', data: { email: 'riservata@example.org', consentToPublish: false } });
  });
});

describe(`import into a fresh instance (${engine})`, () => {
  let kb: KnowledgeBase;
  let result: any;
  const second = path.join(work, 'second.tar.gz');
  beforeAll(async () => {
    kb = await startKnowledgeBase({ seed: false });
    result = await archive().importArchive(kb.strapi, first, quiet);
    await archive().exportArchive(kb.strapi, second, quiet);
  }, 240000);
  afterAll(async () => {
    await kb.stop();
  });
  /** The change feed after `since` (from the beginning without), read through the server as partners read it: its events and the cursor after them. */
  const changesSince = async (since?: string) => {
    const events: string[] = [];
    let cursor = since;
    for (let more = true; more;) {
      const res = await kb
        .http()
        .get('/api/changes')
        .query({ first: 1000, ...(cursor ? { since: cursor } : {}) });
      expect(res.status).toBe(200);
      events.push(...res.body.items.map((c: any) => `${c.type} ${c.slug} ${c.locale} ${c.action}`));
      ({ nextCursor: cursor, hasMore: more } = res.body);
    }
    return { events: events.sort(), cursor };
  };

  test('creates every version and every media file', () => {
    expect(result.report['good-practices']).toEqual({ created: 18, updated: 0, unchanged: 0 });
    expect(result.media).toEqual({ created: 1, updated: 0, unchanged: 0 });
  });

  test('leaves PostgreSQL planning with the statistics of what it wrote (ANALYZE after the commit)', async () => {
    if (engine !== 'postgres') return;
    const { rows } = await kb.strapi.db.connection.raw(
      "SELECT relname, last_analyze FROM pg_stat_user_tables WHERE relname IN ('good_practices', 'good_practices_cmps')",
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.last_analyze).not.toBeNull();
  });

  test('exporting again gives the same archive: records, timestamps, documentIds and media bytes', async () => {
    await expectSameArchive(first, second);
  });

  test('partners see what they saw on the source: published versions only, media served, search finds it', async () => {
    expect(await partnerView(kb)).toEqual(sourceView);
    const slugs = sourceView.it.goodPractices.map((p: any) => p.slug);
    expect(slugs).not.toContain(DRAFT);
    expect(sourceView.it.goodPractices.find((p: any) => p.slug === FORUM).title).not.toBe(EDITED_TITLE);
    expect(JSON.stringify(sourceView)).not.toContain('persona-riservata');
    for (const { name, bytes } of uploads) {
      const res = await kb.http().get(`/uploads/${name}`).buffer(true);
      expect([name, res.status]).toEqual([name, 200]);
      expect(Buffer.from(res.body).equals(bytes)).toBe(true);
    }
    const search = await kb.data('{ search(query: "forum regionale", locale: "it") { items { slug } } }');
    expect(search.search.items.map((item: any) => item.slug)).toContain(FORUM);
  });

  test('importing it twice changes nothing', async () => {
    const before = await rowCounts(kb);
    const again = await archive().importArchive(kb.strapi, first, quiet);
    for (const counts of [...Object.values(again.report), again.media] as any[]) expect(counts.created + counts.updated).toBe(0);
    expect(again.report['good-practices'].unchanged).toBe(18);
    expect(await rowCounts(kb)).toEqual(before);
    const third = path.join(work, 'third.tar.gz');
    await archive().exportArchive(kb.strapi, third, quiet);
    await expectSameArchive(first, third);
  });

  test('--dry-run reports what would change and writes nothing; the import then restores the archived version', async () => {
    const practices = kb.strapi.documents(PRACTICE as any);
    const cycle = (await practices.findFirst({ filters: { slug: CYCLE }, locale: 'en', status: 'draft' } as any))!;
    const beforeEdit = (await changesSince()).cursor;
    await practices.update({ documentId: cycle.documentId, locale: 'en', data: { title: 'Changed here after the import' } } as any);
    await practices.publish({ documentId: cycle.documentId, locale: 'en' } as any);
    const edit = await changesSince(beforeEdit);
    expect(edit.events).toContain(`GOOD_PRACTICE ${CYCLE} en UPDATED`);
    const before = await rowCounts(kb);

    const dry = await archive().importArchive(kb.strapi, first, { ...quiet, dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.report['good-practices']).toEqual({ created: 0, updated: 2, unchanged: 16 });
    expect(await rowCounts(kb)).toEqual(before);
    expect((await changesSince(edit.cursor)).events).toEqual([]);
    const title = async () =>
      (await kb.data('{ goodPractices(locale: "en", filters: { slug: { eq: "' + CYCLE + '" } }) { title } }')).goodPractices[0].title;
    expect(await title()).toBe('Changed here after the import');

    const real = await archive().importArchive(kb.strapi, first, quiet);
    expect(real.report['good-practices']).toEqual({ created: 0, updated: 2, unchanged: 16 });
    expect(await title()).toBe(sourceView.en.goodPractices.find((p: any) => p.slug === CYCLE).title);
    // Partners syncing from the change feed see the import's rewrite as they saw the edit: the
    // practice UPDATED, and the published records that show it.
    expect((await changesSince(edit.cursor)).events).toEqual(edit.events);
    const fourth = path.join(work, 'fourth.tar.gz');
    await archive().exportArchive(kb.strapi, fourth, quiet);
    await expectSameArchive(first, fourth);
  });

  test('an export that fails leaves no file behind', async () => {
    const [{ name, bytes }] = uploads;
    fs.rmSync(path.join(uploadsDir(kb), name));
    try {
      await expect(archive().exportArchive(kb.strapi, path.join(work, 'failed.tar.gz'), quiet)).rejects.toThrow(
        /is missing from the uploads folder/,
      );
      expect(fs.readdirSync(work).filter((entry) => entry.startsWith('failed.tar.gz'))).toEqual([]);
    } finally {
      fs.writeFileSync(path.join(uploadsDir(kb), name), bytes);
    }
  });

  describe('a bad archive gets a clear error and writes nothing', () => {
    const refused = async (file: string, message: RegExp | string) => {
      const before = await rowCounts(kb);
      const uploadsBefore = fs.readdirSync(uploadsDir(kb)).sort();
      await expect(archive().importArchive(kb.strapi, file, quiet)).rejects.toThrow(message);
      expect(await rowCounts(kb)).toEqual(before);
      expect(fs.readdirSync(uploadsDir(kb)).sort()).toEqual(uploadsBefore);
    };

    test('not an archive, or a truncated one', async () => {
      const garbage = path.join(work, 'garbage.tar.gz');
      fs.writeFileSync(garbage, 'this is not an archive\n');
      await refused(garbage, /not a readable tar\.gz archive/);
      const truncated = path.join(work, 'truncated.tar.gz');
      const bytes = fs.readFileSync(first);
      fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
      await refused(truncated, /not a readable tar\.gz archive \(corrupt or truncated\?\)/);
    });

    test('a foreign archive (a tar.gz of something else)', async () => {
      const dir = fs.mkdtempSync(path.join(work, 'foreign-'));
      fs.writeFileSync(path.join(dir, 'data.json'), '{"hello":"world"}');
      const foreign = path.join(work, 'foreign.tar.gz');
      await tar.c({ gzip: true, file: foreign, cwd: dir }, ['data.json']);
      await refused(foreign, /not a Com\.In\.4\.0 knowledge-base archive/);
    });

    test('a record changed after export (checksum mismatch)', async () => {
      const tampered = await craft(
        first,
        (dir) => editLines(dir, 'records/good-practices.jsonl', (l) => ({ ...l, data: { ...l.data, title: 'Tampered' } })),
        { rehash: false },
      );
      await refused(tampered, /damaged.*records\/good-practices\.jsonl does not match its checksum/);
    });

    test('an archive of an older content model with no upgrade step: refused, saying what to do', async () => {
      const older = await craft(first, (dir) => {
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
        fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, contentModel: '0123456789abcdef' }));
      });
      await refused(older, /content model 0123456789abcdef.*no upgrade step.*export again.*add an upgrade step/s);
    });

    test('a published person without consent (a hand-made archive) is refused', async () => {
      const leaking = await craft(first, (dir) =>
        editLines(dir, 'records/people.jsonl', (l) =>
          l.status === 'published' ? { ...l, data: { ...l.data, consentToPublish: false } } : l,
        ),
      );
      await refused(leaking, CONSENT_REQUIRED);
    });

    test('a failure after records were written undoes them all (one transaction)', async () => {
      // The title change is written in the records pass; the unknown media file fails the links pass.
      const broken = await craft(first, (dir) =>
        editLines(dir, 'records/good-practices.jsonl', (l) =>
          l.slug === CYCLE ? { ...l, data: { ...l.data, title: `${l.data.title} (changed)`, attachments: ['no-such-file'] } } : l,
        ),
      );
      await refused(broken, /media file no-such-file, which is not in media\.jsonl/);
      const titles = (await kb.data('{ goodPractices(filters: { slug: { eq: "' + CYCLE + '" } }) { title } }')).goodPractices;
      expect(titles[0].title).not.toMatch(/changed/);
    });
  });
});

test('an import merges into a populated instance by slug: records already there are updated, not duplicated', async () => {
  const kb = await startKnowledgeBase();
  try {
    const ids = async (uid: string) =>
      Object.fromEntries(
        ((await kb.strapi.db.query(uid as any).findMany({ select: ['slug', 'documentId'] })) as any[]).map((row) => [
          row.slug,
          row.documentId,
        ]),
      );
    const before = await ids(PRACTICE);
    const result = await archive().importArchive(kb.strapi, first, quiet);
    const after = await ids(PRACTICE);
    // The seeded records keep this instance's documentIds; the draft takes the archive's (free here).
    for (const [slug, documentId] of Object.entries(before)) expect([slug, after[slug]]).toEqual([slug, documentId]);
    expect(after[DRAFT]).toBe(draftDocumentId);
    expect(result.report['good-practices'].created).toBe(2);
    for (const uid of [PRACTICE, PERSON, 'api::theme.theme']) {
      const rows = (await kb.strapi.db.query(uid as any).findMany({ select: ['slug', 'locale', 'publishedAt'] })) as any[];
      const keys = rows.map((row) => `${row.slug}|${row.locale}|${row.publishedAt ? 'published' : 'draft'}`);
      expect([uid, new Set(keys).size]).toEqual([uid, keys.length]);
    }
    const view = await partnerView(kb);
    // Same content as the source, under this instance's documentIds.
    const withoutIds = (v: any) => JSON.parse(JSON.stringify(v, (key, value) => (key === 'documentId' ? undefined : value)));
    expect(withoutIds(view)).toEqual(withoutIds(sourceView));
  } finally {
    await kb.stop();
  }
}, 240000);

test(`across engines: ${engine} archive into a fresh ${otherEngine} instance exports the same archive`, async () => {
  const database = await createDatabase(otherEngine);
  const kb = await startKnowledgeBase({ seed: false, database });
  try {
    expect(kb.strapi.config.get('database.connection.client')).toBe(otherEngine);
    await archive().importArchive(kb.strapi, first, quiet);
    const crossed = path.join(work, 'crossed.tar.gz');
    await archive().exportArchive(kb.strapi, crossed, quiet);
    await expectSameArchive(first, crossed);
    expect(await partnerView(kb)).toEqual(sourceView);
  } finally {
    await kb.stop();
    await database.drop();
  }
}, 240000);

test('the commands: npm run kb:import -- <file> --dry-run reports per type; a failing kb:export says why', async () => {
  const database = await createDatabase(engine);
  try {
    const npm = (...args: string[]) =>
      spawnSync('npm', ['run', '--silent', ...args], {
        cwd: appDir,
        env: { ...process.env, ...database.env },
        encoding: 'utf8',
        timeout: 180000,
      });
    const dry = npm('kb:import', '--', first, '--dry-run');
    expect(dry.stderr).not.toMatch(/failed/);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/dry run, nothing written/);
    expect(dry.stdout).toMatch(/good-practices: 18 created, 0 updated, 0 unchanged/);
    expect(dry.stdout).toMatch(/media: 1 created/);

    const failed = npm('kb:export', '--', path.join(work, 'no-such-folder', 'kb.tar.gz'));
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/\[export\] failed: Folder .*no-such-folder does not exist\./);
  } finally {
    await database.drop();
  }
}, 400000);
