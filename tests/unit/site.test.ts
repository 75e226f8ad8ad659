import {
  SERVER_LINKS,
  escapeHtml,
  euFlagGeometry,
  formatValue,
  pageFile,
  recordPage,
  recordSections,
  scriptJson,
  sitemap,
  snapshotLinks,
  type Model,
  type SiteContext,
} from '../../src/publishing/site/core';
import { pageAddress, recordPath } from '../../src/content/paths/core';
import { searchEntry, SEARCH_SUMMARY } from '../../src/publishing/snapshot/core';
import { PUBLIC_TYPES, type PublicType } from '../../src/content/model/core';

const model: Model = {
  title: { type: 'string' },
  summary: { type: 'text' },
  status: { type: 'enumeration' },
  startDate: { type: 'date' },
  reviewerNote: { type: 'text', private: true },
  lessons: { type: 'text' },
  themes: { type: 'relation', target: 'api::theme.theme' },
  venue: { type: 'component', component: 'shared.venue' },
  license: { type: 'string' },
};
const components = { 'shared.venue': { name: { type: 'string' }, city: { type: 'string' }, secret: { type: 'string', private: true } } };
const ctx = {
  locale: 'it' as const,
  label: (_model: string, field: string) => field.toUpperCase(),
  code: (_model: string, field: string, code: string) => `${field}:${code}`,
  pathOf: (_uid: string, related: any) => (related.slug === 'missing' ? undefined : recordPath('it', 'theme', related.slug)),
};
const typeNames = Object.fromEntries(PUBLIC_TYPES.map((t) => [t, t])) as Record<PublicType, string>;
const site: SiteContext = { baseUrl: 'https://kb.example.org', links: SERVER_LINKS, locale: 'it' };

const record = {
  title: 'T',
  summary: 'S',
  status: 'in_progress',
  startDate: '2022-09-26',
  reviewerNote: 'PRIVATA',
  lessons: 'L',
  themes: [
    { slug: 'a', name: 'Tema A' },
    { slug: 'missing', name: 'Assente' },
  ],
  venue: { name: 'Sala', city: 'Potenza', secret: 'SEGRETO' },
  license: 'CC-BY-4.0',
};

test('a record page: facts first, texts and links in model order, private fields never shown', () => {
  const sections = recordSections('api::x.x', record, model, components, ctx);
  expect(sections).toEqual([
    {
      kind: 'facts',
      facts: [
        { label: 'STATUS', value: ['status:in_progress'] },
        { label: 'STARTDATE', value: ['26 settembre 2022'] },
      ],
    },
    { kind: 'text', field: 'lessons', label: 'LESSONS', text: 'L' },
    { kind: 'links', field: 'themes', label: 'THEMES', links: [{ path: '/it/theme/a', text: 'Tema A' }] },
    {
      kind: 'facts',
      label: 'VENUE',
      facts: [
        { label: 'NAME', value: ['Sala'] },
        { label: 'CITY', value: ['Potenza'] },
      ],
    },
  ]);
  expect(JSON.stringify(sections)).not.toMatch(/PRIVATA|SEGRETO/);
});

test('an inferred value is marked next to it, with the reason in a note', () => {
  const inferred = {
    ...record,
    inferences: [
      { field: 'startDate', basis: "L'articolo non indica l'anno: 2022 è dedotto." },
      { field: 'lessons', basis: 'Sintesi della redazione.' },
    ],
  };
  const sections = recordSections('api::x.x', inferred, model, components, ctx);
  const html = recordPage(site, {
    uid: 'api::x.x',
    type: 'event',
    typeName: 'Evento',
    typeNames,
    record: inferred,
    title: 'T',
    sections,
    alternates: { it: '/it/event/t' },
    jsonLd: {},
  });
  expect(html).toContain(
    '<dt>STARTDATE</dt><dd>26 settembre 2022 <sup class="inferred" id="inferred-ref-1"><a href="#inferred-1">dedotto 1</a></sup></dd>',
  );
  expect(html).toContain('<h2>LESSONS <sup class="inferred" id="inferred-ref-2"><a href="#inferred-2">dedotto 2</a></sup></h2>');
  expect(html).toContain('<li id="inferred-1"><strong>STARTDATE</strong>: L&#39;articolo non indica l&#39;anno: 2022 è dedotto.');
  expect(html).toContain('<h2 id="inferred-title">Valori dedotti</h2>');
  // A record without inferences (the field is not in every model yet) has no marker and no notes.
  const plain = recordPage(site, {
    uid: 'api::x.x',
    type: 'event',
    typeName: 'Evento',
    typeNames,
    record,
    title: 'T',
    sections: recordSections('api::x.x', record, model, components, ctx),
    alternates: { it: '/it/event/t' },
    jsonLd: {},
  });
  expect(plain).not.toMatch(/dedotto|inferred/);
});

test('dates in words in each language; times as hh:mm at the venue', () => {
  expect(formatValue('date', '2022-09-26', 'en')).toBe('26 September 2022');
  expect(formatValue('date', '2022-09-26', 'it')).toBe('26 settembre 2022');
  expect(formatValue('datetime', '2022-09-26T07:00:00.000Z', 'en')).toBe('26 September 2022 at 09:00');
  expect(formatValue('time', '09:00:00.000', 'it')).toBe('09:00');
  expect(formatValue('boolean', false, 'en')).toBe('no');
});

test('the EU emblem follows the official geometry', () => {
  const flag = euFlagGeometry(180);
  expect([flag.width, flag.height, flag.ring, flag.star]).toEqual([270, 180, 60, 10]);
  expect(flag.stars).toHaveLength(12);
  for (const star of flag.stars) {
    expect(star).toHaveLength(10);
    const [cx, cy] = [star.reduce((s, p) => s + p[0], 0) / 10, star.reduce((s, p) => s + p[1], 0) / 10];
    expect(Math.hypot(cx - flag.centre.x, cy - flag.centre.y)).toBeCloseTo(60, 6);
    // One point up: the first point is straight above the star's centre, a star radius away.
    expect(star[0][0]).toBeCloseTo(cx, 6);
    expect(cy - star[0][1]).toBeCloseTo(10, 6);
  }
});

test('addresses: one scheme for the server, the snapshot and the sitemap', () => {
  expect(recordPath('en', 'good-practice', 'a b')).toBe('/en/good-practice/a%20b');
  expect(pageAddress('/en/good-practice/a%20b')).toEqual({ kind: 'record', locale: 'en', type: 'good-practice', slug: 'a b' });
  expect(pageAddress('/IT/Event/')).toEqual({ kind: 'list', locale: 'it', type: 'event' });
  expect(pageAddress('/it/funding')).toEqual({ kind: 'statement', locale: 'it', statement: 'funding' });
  for (const path of ['/fr/event/x', '/it/nothing', '/it/event/x/y', '/it', '/it/event/%E0']) expect(pageAddress(path)).toBeUndefined();
  expect(pageFile('/it/event/x')).toBe('it/event/x/index.html');
  const links = snapshotLinks('/it/event/x');
  expect(links.page('/en/theme/y')).toBe('../../../en/theme/y/index.html');
  expect(links.asset('/site/site.css')).toBe('../../../site/site.css');
  expect(links.home('en')).toBe('../../../en/index.html');
});

test('the sitemap gives each page its alternates; a page in one language has only that one', () => {
  const xml = sitemap('https://kb.example.org', [{ it: '/it/event/a', en: '/en/event/a' }, { it: '/it/event/b' }]);
  expect(xml.match(/<url>/g)).toHaveLength(3);
  expect(xml).toContain(
    '<url><loc>https://kb.example.org/en/event/a</loc><xhtml:link rel="alternate" hreflang="it" href="https://kb.example.org/it/event/a"/><xhtml:link rel="alternate" hreflang="en" href="https://kb.example.org/en/event/a"/><xhtml:link rel="alternate" hreflang="x-default" href="https://kb.example.org/it/event/a"/></url>',
  );
  expect(xml).toContain(
    '<url><loc>https://kb.example.org/it/event/b</loc><xhtml:link rel="alternate" hreflang="it" href="https://kb.example.org/it/event/b"/><xhtml:link rel="alternate" hreflang="x-default" href="https://kb.example.org/it/event/b"/></url>',
  );
});

test('text is escaped in HTML and JSON-LD cannot close its script element', () => {
  expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  const html = recordPage(site, {
    uid: 'api::x.x',
    type: 'event',
    typeName: 'Evento',
    typeNames,
    record: {},
    title: '<b>T</b>',
    sections: [],
    alternates: { it: '/it/event/t' },
    jsonLd: { name: '</script><script>alert(1)</script>' },
  });
  expect(html).toContain('<h1>&lt;b&gt;T&lt;/b&gt;</h1>');
  expect(html.match(/<\/script>/g)).toHaveLength(1);
  expect(JSON.parse(scriptJson({ name: '</script>' }))).toEqual({ name: '</script>' });
});

test('search entries keep a short summary', () => {
  const [, , , summary] = searchEntry('it', 'Buona pratica', 'T', 'x'.repeat(500), 'it/a.html');
  expect(summary).toHaveLength(SEARCH_SUMMARY);
  expect(summary.endsWith('…')).toBe(true);
});
