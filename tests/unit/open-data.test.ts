import { parse } from 'csv-parse/sync';
import { csvColumns, csvHeader, csvLine, csvPopulate, csvRow, distributionLicence, graphNode, type Attributes } from '../../src/open-data/core';

const PUBLIC = new Set(['api::theme.theme', 'api::project.project']);
const ctx = { baseUrl: 'https://kb.example.org', iri: (r: any) => `https://kb.example.org/api/things/${r.documentId}` };

const model: Attributes = {
  title: { type: 'string' },
  note: { type: 'text', private: true },
  themes: { type: 'relation', target: 'api::theme.theme' },
  project: { type: 'relation', target: 'api::project.project' },
  children: { type: 'relation', target: 'api::theme.theme', mappedBy: 'parent' },
  createdBy: { type: 'relation', target: 'admin::user' },
  files: { type: 'media', multiple: true },
  groups: { type: 'component', component: 'shared.group', repeatable: true },
  source: { type: 'component', component: 'shared.source' },
  license: { type: 'string' },
};
const components: Record<string, Attributes> = {
  'shared.group': { group: { type: 'enumeration' }, organization: { type: 'relation', target: 'api::project.project' } },
  'shared.source': { title: { type: 'string' }, secret: { type: 'string', private: true } },
};

describe('CSV columns from the content model', () => {
  const columns = csvColumns(model, components, PUBLIC, ctx);

  test('stable order; private fields, inverse sides and non-public relations left out', () => {
    expect(columns.map((c) => c.name)).toEqual([
      'documentId', 'locale', 'url', 'title', 'themes', 'project', 'files', 'groups.group', 'groups.organization', 'source.title', 'license',
    ]);
  });

  test('relations are slugs, media absolute URLs, repeatable components joined with ;', () => {
    const record = {
      documentId: 'd1',
      locale: 'it',
      title: 'Uno, "due"\ntre',
      note: 'PRIVATA',
      themes: [{ slug: 'a' }, { slug: 'b' }],
      project: { slug: 'p' },
      files: [{ url: '/uploads/x.pdf' }, { url: 'https://cdn.example.org/y.pdf' }],
      groups: [{ group: 'public_operators', organization: { slug: 'o1' } }, { group: 'employers', organization: null }],
      source: { title: 'Articolo', secret: 'NO' },
      license: 'CC-BY-4.0',
    };
    const [row] = parse(csvHeader(columns) + csvRow(columns, record), { columns: true });
    expect(row).toEqual({
      documentId: 'd1',
      locale: 'it',
      url: 'https://kb.example.org/api/things/d1',
      title: 'Uno, "due"\ntre',
      themes: 'a;b',
      project: 'p',
      files: 'https://kb.example.org/uploads/x.pdf;https://cdn.example.org/y.pdf',
      'groups.group': 'public_operators;employers',
      'groups.organization': 'o1',
      'source.title': 'Articolo',
      license: 'CC-BY-4.0',
    });
  });

  test('populate loads exactly what the columns read', () => {
    expect(csvPopulate(model, components, PUBLIC)).toEqual({
      themes: { fields: ['slug'] },
      project: { fields: ['slug'] },
      files: { fields: ['url'] },
      groups: { populate: { organization: { fields: ['slug'] } } },
      source: true,
    });
  });
});

test('RFC 4180: quotes doubled, fields with commas, quotes or line breaks quoted, CRLF', () => {
  expect(csvLine(['a', 'b,c', 'd"e', 'f\r\ng', ''])).toBe('a,"b,c","d""e","f\r\ng",\r\n');
});

test('a file mixing licences is offered under the most demanding one', () => {
  expect(distributionLicence(['CC0-1.0', 'CC-BY-4.0', 'CC0-1.0'])).toBe('CC-BY-4.0');
  expect(distributionLicence(['CC0-1.0'])).toBe('CC0-1.0');
  expect(distributionLicence(['CC-BY-4.0', 'CC-BY-SA-4.0'])).toBe('CC-BY-SA-4.0');
  expect(distributionLicence([])).toBe('CC-BY-4.0');
});

test('a record in a @graph drops its own @context', () => {
  expect(JSON.parse(graphNode({ '@context': 'https://schema.org', '@type': 'Thing', name: 'x' }))).toEqual({ '@type': 'Thing', name: 'x' });
});
