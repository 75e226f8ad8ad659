/** The synthetic content generator: deterministic, valid against the content model, bilingual. */
import fs from 'fs';
import path from 'path';
import {
  SUMMARY_MAX,
  SYNTHETIC_LICENSE,
  SYNTHETIC_LOCALES,
  SYNTHETIC_PREFIX,
  SYNTHETIC_SOURCE,
  contentTypeUid,
  documentData,
  mulberry32,
  practiceSlug,
  syntheticCatalog,
  syntheticPractice,
  type SyntheticDocument,
} from '../../src/publishing/synthetic/core';

const root = path.resolve(__dirname, '../..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
const attributesOf = (type: string) => readJson(`src/api/${type}/content-types/${type}/schema.json`).attributes;
const componentAttributes = (uid: string) => {
  const [category, name] = uid.split('.');
  return readJson(`src/components/${category}/${name}.json`).attributes;
};

const catalog = syntheticCatalog();
const practices = Array.from({ length: 1500 }, (_, i) => syntheticPractice(i + 1, 42));
const all = [...catalog, ...practices];

describe('determinism', () => {
  test('mulberry32 repeats its sequence for a seed', () => {
    const a = mulberry32(9);
    const b = mulberry32(9);
    const c = mulberry32(10);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  test('the same seed gives the same practices, another seed other ones, under the same slugs', () => {
    expect(syntheticPractice(7, 42)).toEqual(practices[6]);
    expect(syntheticCatalog()).toEqual(catalog);
    const other = syntheticPractice(7, 43);
    expect(other.slug).toBe(practices[6].slug);
    expect(other.locales).not.toEqual(practices[6].locales);
  });
});

describe('validity against the content model', () => {
  test('slugs are prefixed and unique, documentIds unique and shaped like Strapi’s', () => {
    const slugs = all.map((doc) => doc.slug);
    expect(slugs.every((slug) => slug.startsWith(SYNTHETIC_PREFIX))).toBe(true);
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(practices.map((p) => p.slug).slice(0, 2)).toEqual([practiceSlug(1), practiceSlug(2)]);
    const ids = practices.map((p) => p.documentId!);
    expect(ids.every((id) => /^[a-z][a-z0-9]{23}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('every field exists, sits on the right side of i18n and meets its constraints, in both locales', () => {
    const problems: string[] = [];
    const check = (where: string, attributes: Record<string, any>, data: Record<string, unknown>, localized: boolean | null) => {
      for (const [name, value] of Object.entries(data)) {
        const attribute = attributes[name];
        if (!attribute) {
          problems.push(`${where}: unknown field ${name}`);
          continue;
        }
        if (localized !== null && (attribute.pluginOptions?.i18n?.localized ?? true) !== localized)
          problems.push(`${where}: ${name} on the wrong i18n side`);
        if (value == null) continue;
        if (attribute.type === 'component') {
          for (const item of attribute.repeatable ? (value as any[]) : [value])
            check(`${where}.${name}`, componentAttributes(attribute.component), item, null);
          continue;
        }
        const text = String(value);
        if (attribute.maxLength && text.length > attribute.maxLength) problems.push(`${where}: ${name} longer than ${attribute.maxLength}`);
        if (attribute.regex && !new RegExp(attribute.regex).test(text))
          problems.push(`${where}: ${name} "${text}" fails ${attribute.regex}`);
        if (attribute.enum && !attribute.enum.includes(value)) problems.push(`${where}: ${name} "${text}" not in its enum`);
        if (['date'].includes(attribute.type) && !/^\d{4}-\d{2}-\d{2}$/.test(text))
          problems.push(`${where}: ${name} "${text}" is not a date`);
      }
    };
    for (const doc of all) {
      const attributes = attributesOf(doc.type);
      check(doc.slug, attributes, doc.fields, false);
      for (const locale of SYNTHETIC_LOCALES) {
        check(`${doc.slug} (${locale})`, attributes, doc.locales[locale], true);
        const data = { ...doc.fields, ...doc.locales[locale], ...doc.relations };
        for (const [name, attribute] of Object.entries<any>(attributes)) {
          if (attribute.required && data[name] == null) problems.push(`${doc.slug} (${locale}): required ${name} missing`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('relations point to catalog records of the right type', () => {
    const known = new Set(catalog.map((doc) => `${contentTypeUid(doc.type)}#${doc.slug}`));
    const seen: string[] = [];
    for (const doc of all) {
      for (const [name, value] of Object.entries(doc.relations)) {
        const target = attributesOf(doc.type)[name].target;
        for (const slug of Array.isArray(value) ? value : [value]) {
          const found = known.has(`${target}#${slug}`);
          if (!found) seen.push(`${doc.slug}.${name} -> ${target} ${slug}`);
        }
        if (Array.isArray(value)) expect(new Set(value).size).toBe(value.length);
      }
    }
    expect(seen).toEqual([]);
  });

  test('practices: summaries within 600 characters, ends never before starts, statuses and target groups valid', () => {
    const statuses = attributesOf('good-practice').implementationStatus.enum;
    const groups = componentAttributes('shared.target-group').group.enum;
    const used = new Set<string>();
    for (const p of practices) {
      for (const locale of SYNTHETIC_LOCALES) {
        const summary = p.locales[locale].summary as string;
        expect(summary.length).toBeGreaterThan(0);
        expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX);
      }
      expect(String(p.fields.endDate) >= String(p.fields.startDate)).toBe(true);
      expect(statuses).toContain(p.fields.implementationStatus);
      const targetGroups = (p.fields.targetGroups as { group: string }[]).map((t) => t.group);
      expect(targetGroups.length).toBeGreaterThan(0);
      expect(new Set(targetGroups).size).toBe(targetGroups.length);
      targetGroups.forEach((g) => {
        expect(groups).toContain(g);
        used.add(g);
      });
      used.add(p.fields.implementationStatus as string);
    }
    // Realistic spread: every status and every target group occurs.
    expect([...used].sort()).toEqual([...statuses, ...groups].sort());
  });

  test('both locales are filled, and in different words', () => {
    const fields = ['title', 'summary', 'context', 'objectives', 'activities', 'results', 'lessonsLearned', 'transferability'];
    for (const p of practices.slice(0, 200)) {
      for (const field of fields) {
        expect([p.slug, field, Boolean(p.locales.it[field]) && Boolean(p.locales.en[field])]).toEqual([p.slug, field, true]);
        expect(p.locales.it[field]).not.toEqual(p.locales.en[field]);
      }
    }
  });

  test('every record is marked synthetic: source, licence, territory codes', () => {
    for (const doc of all) {
      expect(doc.fields.license).toBe(SYNTHETIC_LICENSE);
      for (const locale of SYNTHETIC_LOCALES) expect(doc.locales[locale].source).toEqual(SYNTHETIC_SOURCE);
    }
    expect(SYNTHETIC_SOURCE).toEqual({
      title: 'Synthetic data',
      note: 'Generated by npm run seed:synthetic for benchmarks; not real knowledge',
    });
    const territories = catalog.filter((doc) => doc.type === 'territory');
    for (const t of territories) {
      if (t.fields.nutsCode) expect(t.fields.nutsCode).toMatch(/^XS/);
      expect(t.fields.istatCode).toMatch(/^9/);
    }
  });
});

test('territories form regions > provinces > municipalities, parents written first', () => {
  const territories = catalog.filter((doc) => doc.type === 'territory');
  const level = new Map(territories.map((t) => [t.slug, t.fields.level]));
  const position = new Map(catalog.map((doc, i) => [doc.slug, i]));
  const expectedParent: Record<string, string> = { province: 'region', municipality: 'province' };
  for (const t of territories) {
    const parent = t.relations.parent as string | undefined;
    if (t.fields.level === 'region') expect(parent).toBeUndefined();
    else {
      expect(level.get(parent!)).toBe(expectedParent[t.fields.level as string]);
      expect(position.get(parent!)!).toBeLessThan(position.get(t.slug)!);
    }
  }
  const count = (l: string) => territories.filter((t) => t.fields.level === l).length;
  expect([count('region'), count('province'), count('municipality')]).toEqual([3, 9, 36]);
});

test('texts use the vocabulary of migrant integration, in Italian and in English', () => {
  const text = (locale: 'it' | 'en') =>
    practices
      .map((p) =>
        Object.values(p.locales[locale])
          .filter((v) => typeof v === 'string')
          .join(' '),
      )
      .join(' ')
      .toLowerCase();
  const it = text('it');
  const en = text('en');
  for (const term of [
    'formazione',
    'operatori pubblici',
    'minori stranieri non accompagnati',
    "l'abitare",
    'inserimento lavorativo',
    'mediazione culturale',
    'reti territoriali',
  ]) {
    expect([term, it.includes(term)]).toEqual([term, true]);
  }
  for (const term of [
    'training',
    'public operators',
    'unaccompanied foreign minors',
    'housing',
    'job placement',
    'cultural mediation',
    'local networks',
  ]) {
    expect([term, en.includes(term)]).toEqual([term, true]);
  }
});

test('documentData gives the document service one locale, relations resolved', () => {
  const doc: SyntheticDocument = practices[0];
  const data = documentData(doc, 'en', (relation, slug) => `${relation}:${slug}`);
  expect(data.title).toBe(doc.locales.en.title);
  expect(data.slug).toBe(doc.slug);
  expect(data.project).toBe(`project:${doc.relations.project}`);
  expect(data.themes).toEqual((doc.relations.themes as string[]).map((slug) => `themes:${slug}`));
});
