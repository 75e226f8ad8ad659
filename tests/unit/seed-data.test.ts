/** The seed files themselves: complete in both locales, consistent with the content model. */
import fs from 'fs';
import path from 'path';
import { readSeedFiles } from '../../src/publishing/seed';
import { SEED_LOCALES, contentTypeUid, documentData, orderSeedFiles, type Schemas } from '../../src/publishing/seed/core';

const root = path.resolve(__dirname, '../..');
const schemaOf = (uid: string) => {
  const type = uid.split('.').pop()!;
  return JSON.parse(fs.readFileSync(path.join(root, 'src/api', type, 'content-types', type, 'schema.json'), 'utf8'));
};
const componentOf = (uid: string) => {
  const [category, name] = uid.split('.');
  return JSON.parse(fs.readFileSync(path.join(root, 'src/components', category, `${name}.json`), 'utf8'));
};
const schemas: Schemas = { attributes: (uid) => schemaOf(uid).attributes, component: (uid) => componentOf(uid).attributes };
const { base, files } = readSeedFiles(path.join(root, 'data/seed'));
const records = files.flatMap((file) => file.records.map((record) => ({ uid: contentTypeUid(file.type), record })));

test('every seeded record has each localized field in Italian and in English, and nothing else', () => {
  for (const { uid, record } of records) {
    const attributes = schemaOf(uid).attributes;
    const [it, en] = SEED_LOCALES.map((locale) => Object.keys(record.locales[locale] ?? {}).sort());
    expect([uid, record.slug, en]).toEqual([uid, record.slug, it]);
    for (const field of it.filter((f) => f !== 'sourceNote')) {
      expect([uid, field, attributes[field]?.pluginOptions?.i18n?.localized]).toEqual([uid, field, true]);
    }
  }
});

test('every record carries a licence and a source with a note, in both locales', () => {
  for (const { uid, record } of records) {
    for (const locale of SEED_LOCALES) {
      const data = documentData(uid, record, locale, base, schemas, () => 'id');
      expect(data.license).toBe('CC-BY-4.0');
      expect((data.source as any).title).toBeTruthy();
      expect((data.source as any).note).toBeTruthy();
    }
  }
});

test('every reference points to a seeded record of the right type', () => {
  const known = new Set(records.map(({ uid, record }) => `${uid}#${record.slug}`));
  for (const { uid, record } of records) {
    for (const locale of SEED_LOCALES) {
      documentData(uid, record, locale, base, schemas, (target, slug) => {
        expect(known.has(`${target}#${slug}`) ? 'ok' : `${uid} ${record.slug} -> ${target} ${slug}`).toBe('ok');
        return 'id';
      });
    }
  }
});

test('summaries respect the 600-character limit and required fields are filled', () => {
  for (const { uid, record } of records) {
    const attributes = schemaOf(uid).attributes;
    for (const locale of SEED_LOCALES) {
      const data = documentData(uid, record, locale, base, schemas, () => 'id');
      for (const [name, attribute] of Object.entries<any>(attributes)) {
        if (attribute.required && attribute.type !== 'uid' && attribute.default === undefined) {
          expect([uid, record.slug, locale, name, data[name] != null]).toEqual([uid, record.slug, locale, name, true]);
        }
        if (attribute.maxLength && typeof data[name] === 'string')
          expect((data[name] as string).length).toBeLessThanOrEqual(attribute.maxLength);
      }
    }
  }
});

test('a field the content model does not have is reported with the record it is in', () => {
  const bad = { slug: 'x', locales: { it: { nome: 'x' }, en: { nome: 'x' } } };
  expect(() => documentData('api::theme.theme', bad, 'it', base, schemas, () => null)).toThrow(/api::theme.theme "x" has a field "nome"/);
});

test('files load in dependency order whatever their names', () => {
  const order = orderSeedFiles([
    { type: 'good-practice', records: [] },
    { type: 'territory', records: [] },
    { type: 'event', records: [] },
  ]);
  expect(order.map((f) => f.type)).toEqual(['territory', 'event', 'good-practice']);
  expect(() => orderSeedFiles([{ type: 'nonsense', records: [] }])).toThrow(/unknown type "nonsense"/);
});
