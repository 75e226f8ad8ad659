import { parse } from 'csv-parse/sync';
import type { Attributes } from '../../src/content/model/core';
import { csvColumns, csvHeader, csvLine, csvPopulate, csvRow, distributionLicence, graphNode } from '../../src/publishing/open-data/core';

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
      'documentId',
      'locale',
      'url',
      'title',
      'themes',
      'project',
      'files',
      'groups.group',
      'groups.organization',
      'source.title',
      'license',
    ]);
  });

  test('relations are slugs, media absolute URLs, a repeatable component one entry per item', () => {
    const record = {
      documentId: 'd1',
      locale: 'it',
      title: 'Uno, "due"\ntre',
      note: 'PRIVATA',
      themes: [{ slug: 'a' }, { slug: 'b' }],
      project: { slug: 'p' },
      files: [{ url: '/uploads/x.pdf' }, { url: 'https://cdn.example.org/y.pdf' }],
      groups: [
        { group: 'public_operators', organization: { slug: 'o1' } },
        { group: 'employers', organization: null },
      ],
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
      'groups.organization': 'o1;',
      'source.title': 'Articolo',
      license: 'CC-BY-4.0',
    });
  });

  test("a repeatable component's columns stay aligned item by item; separators inside values are escaped", () => {
    const agendaModel: Attributes = { agenda: { type: 'component', component: 'event.agenda-item', repeatable: true } };
    const agendaItem: Record<string, Attributes> = {
      'event.agenda-item': {
        time: { type: 'time' },
        title: { type: 'string' },
        speakers: { type: 'relation', target: 'api::theme.theme' },
      },
    };
    const agenda = [
      { time: '09:00:00.000', title: 'Registrazione; caffè', speakers: [] },
      { time: null, title: 'Tavolo | rete', speakers: [{ slug: 'anna' }, { slug: 'luca' }] },
      { time: '11:30:00', title: 'C:\\chiusura', speakers: [{ slug: 'sara' }] },
    ];
    const agendaColumns = csvColumns(agendaModel, agendaItem, PUBLIC, ctx);
    const [row] = parse(csvHeader(agendaColumns) + csvRow(agendaColumns, { documentId: 'e', locale: 'it', agenda }), { columns: true });
    expect(row['agenda.time']).toBe('09:00:00;;11:30:00');
    expect(row['agenda.title']).toBe('Registrazione\\; caffè;Tavolo \\| rete;C:\\\\chiusura');
    expect(row['agenda.speakers']).toBe(';anna|luca;sara');
    // What docs/open-data.md tells a reader: a backslash keeps the next character, an unescaped ';' ends an entry.
    const split = (cell: string) => {
      const entries = [''];
      for (let i = 0; i < cell.length; i += 1) {
        if (cell[i] === '\\') entries[entries.length - 1] += cell[(i += 1)];
        else if (cell[i] === ';') entries.push('');
        else entries[entries.length - 1] += cell[i];
      }
      return entries;
    };
    expect(split(row['agenda.title'])).toEqual(agenda.map((item) => item.title));
    expect(split(row['agenda.speakers']).map((cell) => (cell ? cell.split('|') : []))).toEqual(
      agenda.map((item) => item.speakers.map((s) => s.slug)),
    );
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
