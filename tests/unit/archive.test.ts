/** The archive's pure core: record <-> line, engine-neutral values, checks, model versions and upgrades. */
import {
  ARCHIVE_FORMAT,
  FORMAT_VERSION,
  archivedFields,
  canonicalJson,
  checksumProblems,
  contentModelVersion,
  fileToLine,
  lineOrder,
  lineProblems,
  manifestProblem,
  mapRefs,
  modelRefusal,
  populateFor,
  publicationProblems,
  refsIn,
  rowToLine,
  scalar,
  scalarData,
  upgradeLine,
  upgradePath,
  type Attributes,
  type Line,
  type Manifest,
  type UpgradeStep,
} from '../../src/publishing/archive/core';
import { CONSENT_REQUIRED } from '../../src/editorial/consent/core';

const components: Record<string, Attributes> = {
  'shared.source': { title: { type: 'string' }, date: { type: 'date' } },
  'event.agenda-item': {
    time: { type: 'time' },
    title: { type: 'string' },
    speakers: { type: 'relation', relation: 'oneToMany', target: 'api::person.person' },
  },
};
const component = (uid: string) => components[uid];

const attributes: Attributes = {
  title: { type: 'string' },
  slug: { type: 'uid' },
  value: { type: 'decimal' },
  startDate: { type: 'datetime' },
  endDate: { type: 'datetime' },
  online: { type: 'boolean' },
  agenda: { type: 'component', component: 'event.agenda-item', repeatable: true },
  source: { type: 'component', component: 'shared.source' },
  project: { type: 'relation', relation: 'manyToOne', target: 'api::project.project', inversedBy: 'events' } as any,
  thematicTables: { type: 'relation', relation: 'oneToMany', target: 'api::thematic-table.thematic-table', mappedBy: 'event' },
  materials: { type: 'media', multiple: true },
  createdAt: { type: 'datetime' },
  updatedAt: { type: 'datetime' },
  publishedAt: { type: 'datetime' },
  createdBy: { type: 'relation', relation: 'oneToOne', target: 'admin::user' },
  locale: { type: 'string' },
};

/** A row as SQLite hands it over (numbers and flags as the driver gives them). */
const row = {
  id: 7,
  documentId: 'doc1',
  slug: 'final-workshop',
  locale: 'it',
  title: 'Final Workshop',
  value: '14.50',
  startDate: 1664175600000,
  endDate: null,
  online: 1,
  agenda: [{ id: 3, time: '09:00', title: 'Registrazione', speakers: [{ id: 9, documentId: 'p1', slug: 'anna' }] }],
  source: { id: 4, title: 'Article', date: '2022-09-26' },
  project: { id: 2, documentId: 'pr1', slug: 'com-in-4-0' },
  materials: [{ id: 1, hash: 'leaflet_abc' }],
  createdAt: '2026-01-01T10:00:00.000Z',
  updatedAt: new Date('2026-01-02T10:00:00.000Z'),
  publishedAt: null,
  createdBy: { id: 1 },
};

describe('a stored version as a line', () => {
  const line = rowToLine(row, attributes, component);

  test('keys, state and timestamps beside the data; no row ids, no admin users, no inverse relations', () => {
    expect(line).toMatchObject({
      documentId: 'doc1',
      slug: 'final-workshop',
      locale: 'it',
      status: 'draft',
      publishedAt: null,
      updatedAt: '2026-01-02T10:00:00.000Z',
    });
    expect(Object.keys(line.data).sort()).toEqual([
      'agenda',
      'endDate',
      'materials',
      'online',
      'project',
      'source',
      'startDate',
      'title',
      'value',
    ]);
    expect(archivedFields(attributes)).not.toContain('thematicTables');
    expect(canonicalJson(line)).not.toMatch(/"id":/);
  });

  test('values spelled alike whatever the engine returned', () => {
    expect(line.data).toMatchObject({ value: 14.5, online: true, startDate: '2022-09-26T07:00:00.000Z', endDate: null });
    expect(scalar('time', '09:00:00')).toBe('09:00:00.000');
    expect(scalar('time', '09:00:00.000')).toBe('09:00:00.000');
    expect(scalar('boolean', 0)).toBe(false);
    expect(scalar('integer', '3')).toBe(3);
    expect(scalar('json', '{"a":1}')).toEqual({ a: 1 });
  });

  test('components inline, relations by stable key, media by file hash', () => {
    expect(line.data.agenda).toEqual([{ time: '09:00:00.000', title: 'Registrazione', speakers: [{ documentId: 'p1', slug: 'anna' }] }]);
    expect(line.data.source).toEqual({ title: 'Article', date: '2022-09-26' });
    expect(line.data.project).toEqual({ documentId: 'pr1', slug: 'com-in-4-0' });
    expect(line.data.materials).toEqual(['leaflet_abc']);
    expect([...refsIn(line.data, attributes, component)].map(({ target, ref }) => `${target}:${ref.slug}`)).toEqual([
      'api::person.person:anna',
      'api::project.project:com-in-4-0',
    ]);
    expect(mapRefs(line.data, attributes, component, (_target, ref) => ref.slug)).toMatchObject({
      project: 'com-in-4-0',
      agenda: [{ speakers: ['anna'] }],
    });
  });

  test('the columns a version writes directly', () => {
    expect(scalarData(line, attributes)).toEqual({
      slug: 'final-workshop',
      locale: 'it',
      createdAt: '2026-01-01T10:00:00.000Z',
      updatedAt: '2026-01-02T10:00:00.000Z',
      publishedAt: null,
      title: 'Final Workshop',
      value: 14.5,
      startDate: '2022-09-26T07:00:00.000Z',
      endDate: null,
      online: true,
    });
  });

  test('what a populate must read', () => {
    expect(populateFor(attributes, component)).toEqual({
      agenda: { populate: { speakers: { select: ['documentId', 'slug'] } } },
      source: true,
      project: { select: ['documentId', 'slug'] },
      materials: { select: ['hash'] },
    });
  });

  test('canonical JSON does not depend on key order; lines sort by locale, draft first', () => {
    expect(canonicalJson({ b: 1, a: { d: 1, c: 2 } })).toBe(canonicalJson({ a: { c: 2, d: 1 }, b: 1 }));
    const order = [
      { locale: 'it', status: 'published' },
      { locale: 'en', status: 'draft' },
      { locale: 'it', status: 'draft' },
    ].sort(lineOrder as any);
    expect(order).toEqual([
      { locale: 'en', status: 'draft' },
      { locale: 'it', status: 'draft' },
      { locale: 'it', status: 'published' },
    ]);
  });
});

describe('checks before anything is written', () => {
  const good = rowToLine(row, attributes, component);

  test('a line of another model or a broken line is named', () => {
    expect(lineProblems(good, attributes)).toEqual([]);
    expect(lineProblems({ ...good, data: { ...good.data, colour: 'red' } }, attributes)).toEqual([
      expect.stringMatching(/unknown fields colour/),
    ]);
    expect(lineProblems({ ...good, status: 'published' }, attributes)).toEqual(['status and publishedAt disagree']);
    expect(lineProblems('text', attributes)).toEqual(['not a record']);
    const { title: _title, ...withoutTitle } = good.data;
    expect(lineProblems({ ...good, data: withoutTitle }, attributes)).toEqual(['missing fields title']);
  });

  test('publication rules: consent, curation, date ranges', () => {
    const published = (data: Record<string, unknown>): Line => ({
      ...good,
      status: 'published',
      publishedAt: '2026-01-01T00:00:00.000Z',
      data,
    });
    expect(publicationProblems('api::person.person', published({ consentToPublish: false }), {})).toEqual([CONSENT_REQUIRED]);
    expect(publicationProblems('api::person.person', { ...published({ consentToPublish: false }), status: 'draft' }, {})).toEqual([]);
    expect(publicationProblems('api::good-practice.good-practice', published({ curationStatus: 'in_review' }), {})).toEqual([
      expect.stringMatching(/cannot be published yet/),
    ]);
    expect(publicationProblems('api::good-practice.good-practice', published({ curationStatus: 'validated' }), {})).toEqual([]);
    const dates = { startDate: { type: 'date' }, endDate: { type: 'date' } };
    expect(
      publicationProblems('api::training.training', { ...good, data: { startDate: '2022-09-26', endDate: '2022-09-01' } }, dates),
    ).toEqual([expect.stringMatching(/endDate .* must not be before startDate/)]);
  });

  test('manifest: ours, of a version this code reads, complete', () => {
    const manifest = { format: ARCHIVE_FORMAT, formatVersion: FORMAT_VERSION, contentModel: 'abc', counts: {}, files: {} };
    expect(manifestProblem(manifest)).toBeNull();
    expect(manifestProblem({ version: 1 })).toMatch(/not a Com\.In\.4\.0 knowledge-base archive/);
    expect(manifestProblem({ ...manifest, formatVersion: 2 })).toMatch(/format version 2 is not supported/);
    expect(manifestProblem({ ...manifest, files: undefined })).toMatch(/incomplete/);
  });

  test('checksums: changed, missing and unlisted files', () => {
    const manifest = { files: { 'a.jsonl': { sha256: 'x', bytes: 1 }, 'b.jsonl': { sha256: 'y', bytes: 2 } } } as unknown as Manifest;
    expect(checksumProblems(manifest, { 'a.jsonl': { sha256: 'x', bytes: 1 }, 'b.jsonl': { sha256: 'y', bytes: 2 } })).toEqual([]);
    expect(checksumProblems(manifest, { 'a.jsonl': { sha256: 'z', bytes: 1 }, 'c.txt': { sha256: 'y', bytes: 2 } })).toEqual([
      'a.jsonl does not match its checksum',
      'b.jsonl is missing',
      'c.txt is not listed in the manifest',
    ]);
  });

  test('media: the file and its resized formats; only local uploads', () => {
    const file = {
      documentId: 'f1',
      hash: 'leaflet_abc',
      url: '/uploads/leaflet_abc.png',
      size: '12.5',
      width: 400,
      formats: { thumbnail: { url: '/uploads/thumbnail_leaflet_abc.png' } },
    };
    const fileAttributes: Attributes = { size: { type: 'decimal' }, width: { type: 'integer' }, formats: { type: 'json' } };
    expect(fileToLine(file, fileAttributes)).toMatchObject({
      size: 12.5,
      bytes: ['uploads/leaflet_abc.png', 'uploads/thumbnail_leaflet_abc.png'],
    });
    expect(() => fileToLine({ ...file, url: 'https://cdn.example.org/leaflet.png' }, fileAttributes)).toThrow(
      /only local media can be archived/,
    );
  });
});

describe('content-model versions and upgrades', () => {
  test('the version follows the schemas, not their key order', () => {
    const a = contentModelVersion({
      contentTypes: { t: { attributes: { title: { type: 'string' } }, kind: 'collectionType' } },
      components: {},
    });
    const b = contentModelVersion({
      contentTypes: { t: { kind: 'collectionType', attributes: { title: { type: 'string' } } } },
      components: {},
    });
    const c = contentModelVersion({
      contentTypes: { t: { kind: 'collectionType', attributes: { title: { type: 'text' } } } },
      components: {},
    });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  const rename: UpgradeStep = {
    from: 'v1',
    to: 'v2',
    description: 'good practices: status is now implementationStatus',
    upgrade: (type, line) => {
      if (type !== 'good-practices') return line;
      const { status, ...data } = line.data as Record<string, unknown>;
      return { ...line, data: { ...data, implementationStatus: status } };
    },
  };
  const license: UpgradeStep = {
    from: 'v2',
    to: 'v3',
    description: 'licence on every record',
    upgrade: (_type, line) => ({ ...line, data: { license: 'CC-BY-4.0', ...line.data } }),
  };

  test('registered steps chain from the archive to the current model', () => {
    const path = upgradePath('v1', 'v3', [license, rename])!;
    expect(path.map((step) => step.to)).toEqual(['v2', 'v3']);
    const old = { ...rowToLine(row, {}, component), data: { status: 'ongoing' } };
    expect(upgradeLine(path, 'good-practices', old).data).toEqual({ implementationStatus: 'ongoing', license: 'CC-BY-4.0' });
    expect(upgradeLine(path, 'events', old).data).toEqual({ status: 'ongoing', license: 'CC-BY-4.0' });
    expect(upgradePath('v3', 'v3', [])).toEqual([]);
  });

  test('no chain, no import: the refusal says what to do', () => {
    expect(upgradePath('v0', 'v3', [license, rename])).toBeNull();
    expect(upgradePath('v1', 'v3', [rename, { ...rename, from: 'v2', to: 'v1' }])).toBeNull();
    expect(modelRefusal('v0', 'v3')).toMatch(/content model v0.*content model v3.*export again.*add an upgrade step for v0/s);
  });
});
