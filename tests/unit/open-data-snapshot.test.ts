import {
  escapeHtml,
  recordPage,
  recordSections,
  scriptJson,
  searchEntry,
  SEARCH_SUMMARY,
  type Model,
} from '../../src/publishing/snapshot/core';

const model: Model = {
  title: { type: 'string' },
  summary: { type: 'text' },
  status: { type: 'enumeration' },
  reviewerNote: { type: 'text', private: true },
  lessons: { type: 'text' },
  themes: { type: 'relation', target: 'api::theme.theme' },
  venue: { type: 'component', component: 'shared.venue' },
  license: { type: 'string' },
};
const components = { 'shared.venue': { name: { type: 'string' }, city: { type: 'string' } } };
const ctx = {
  locale: 'it' as const,
  label: (_model: string, field: string) => field.toUpperCase(),
  hrefOf: (_uid: string, related: any) => (related.slug === 'missing' ? undefined : `it/themes/${related.slug}.html`),
};

test('a record page: facts first, texts and links in model order, private fields never shown', () => {
  const sections = recordSections(
    'api::x.x',
    {
      title: 'T',
      summary: 'S',
      status: 'in_progress',
      reviewerNote: 'PRIVATA',
      lessons: 'L',
      themes: [
        { slug: 'a', name: 'Tema A' },
        { slug: 'missing', name: 'Assente' },
      ],
      venue: { name: 'Sala', city: 'Potenza' },
      license: 'CC-BY-4.0',
    },
    model,
    components,
    ctx,
  );
  expect(sections).toEqual([
    { kind: 'facts', facts: [['STATUS', 'in progress']] },
    { kind: 'text', label: 'LESSONS', text: 'L' },
    { kind: 'links', label: 'THEMES', links: [{ href: 'it/themes/a.html', text: 'Tema A' }] },
    { kind: 'facts', label: 'VENUE', facts: [['', 'Sala · Potenza']] },
  ]);
  expect(JSON.stringify(sections)).not.toContain('PRIVATA');
});

test('text is escaped in HTML and JSON-LD cannot close its script element', () => {
  expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  const html = recordPage({
    locale: 'en',
    typeName: 'Good practice',
    typeIndex: 'en/good-practices/index.html',
    title: '<b>T</b>',
    sections: [],
    licence: 'CC-BY-4.0',
    jsonLd: { name: '</script><script>alert(1)</script>' },
  });
  expect(html).toContain('<h1>&lt;b&gt;T&lt;/b&gt;</h1>');
  expect(html.match(/<\/script>/g)).toHaveLength(1);
  expect(JSON.parse(scriptJson({ name: '</script>' }))).toEqual({ name: '</script>' });
  expect(html).toContain('<html lang="en">');
  expect(html).toContain('href="../../en/good-practices/index.html"');
});

test('search entries keep a short summary', () => {
  const [, , , summary] = searchEntry('it', 'Buona pratica', 'T', 'x'.repeat(500), 'it/a.html');
  expect(summary).toHaveLength(SEARCH_SUMMARY);
  expect(summary.endsWith('…')).toBe(true);
});
