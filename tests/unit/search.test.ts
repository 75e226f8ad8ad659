/** The pure core of src/public-api/search: analysis, query plans, engine expressions, snippets, filters. */
import fs from 'fs';
import path from 'path';
import { eachWord, firstLetter, terms, tokenize } from '../../src/public-api/search/analysis';
import { batchedShown } from '../../src/public-api/search/shown-batches';
import { keptVocabulary } from '../../src/public-api/search/kept-vocabulary';
import { batchedPost } from '../../src/public-api/search/thread';
import {
  SearchInputError,
  entryFor,
  oneEditApart,
  populateFor,
  withBeginnings,
  withTypos,
  filterGroups,
  fts5Filter,
  planQuery,
  score,
  searchPage,
  snippets,
  territoriesWithin,
  tsqueryFilter,
  type Thesaurus,
} from '../../src/public-api/search/core';

const thesaurus: Thesaurus = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../data/search/thesaurus.json'), 'utf8'));

test('terms are folded, stop words dropped, words stemmed per language', () => {
  expect(terms('Perché gli Operatori pubblici e le attività formative', 'it')).toBe('perc oper pubblic attiv format');
  expect(terms('The training of public operators', 'en')).toBe('train public oper');
  expect(tokenize("dell'inclusione", 'it').map((t) => t.word)).toEqual(['dell', 'inclusione']);
});

test('a query plan: every word, its thesaurus alternatives, the last word as a prefix', () => {
  expect(planQuery('minori stranieri', 'it', thesaurus)).toEqual([
    { alternatives: ['minor'], prefix: false, tolerant: 'minor' },
    { alternatives: ['stranier', 'migrant', 'immigr', 'migrator'], prefix: true, tolerant: 'stranier' },
  ]);
  // Words under five letters tolerate no typo.
  expect(planQuery('FAMI rete', 'it', thesaurus).map((q) => q.tolerant)).toEqual([undefined, undefined]);
  expect(planQuery('housing', 'en', thesaurus)[0].alternatives).toEqual(['hous', 'accommod', 'dwell', 'live']);
  expect(() => planQuery('il e la', 'it', thesaurus)).toThrow(SearchInputError);
  expect(() => planQuery('', 'it', thesaurus)).toThrow(/no searchable words/);
});

test("the last word's alternatives that begin no term stand for the term they begin; other words are left as typed", () => {
  const plan = planQuery('public initia', 'en', thesaurus);
  const beginnings: Record<string, string> = { initia: 'initi', public: 'publ' };
  const typed = withBeginnings(plan, (prefix) => beginnings[prefix]);
  expect(typed.map((q) => q.alternatives)).toEqual([['public'], ['initi']]);
  expect(typed[1]).toMatchObject({ prefix: true, tolerant: 'initia' });
  // An alternative that begins some term is kept, and two that stand for the same term are one.
  expect(
    withBeginnings([{ alternatives: ['lavor', 'lavorx', 'lavory'], prefix: true }], (p) => (p === 'lavor' ? undefined : 'lavor')),
  ).toEqual([{ alternatives: ['lavor'], prefix: true }]);
});

test('user syntax is just words; filters are words of the index, quoted in the engine expressions', () => {
  const plan = planQuery('"minori" OR tavoli*', 'it', thesaurus);
  expect(plan.map((q) => [q.alternatives, q.prefix])).toEqual([
    [['minor'], false],
    [['or'], false],
    [['tavol'], true],
  ]);
  // Filters are words of the index's filter column, matched with the query.
  const groups = filterGroups('it', { types: ['good-practice', 'event'], facets: { 'target-group': ['public_operators'] } });
  expect(groups).toEqual([['_locale_it'], ['_type_goodpractice', '_type_event'], ['_targetgroup_publicoperators']]);
  expect(fts5Filter(groups)).toBe(
    '{filter_terms} : (("_locale_it") AND ("_type_goodpractice" OR "_type_event") AND ("_targetgroup_publicoperators"))',
  );
  expect(tsqueryFilter(groups)).toBe("('_locale_it') & ('_type_goodpractice' | '_type_event') & ('_targetgroup_publicoperators')");
});

test('snippets: the best passage, escaped, with matches marked', () => {
  const plan = planQuery('operatori', 'it', thesaurus);
  const html = snippets(
    plan,
    'it',
  )([
    ['summary', 'Un testo senza la parola.'],
    ['results', '<b>50</b> operatori pubblici & altri operatori.'],
  ]);
  expect(html).toBe('&lt;b&gt;50&lt;/b&gt; <mark>operatori</mark> pubblici &amp; altri <mark>operatori</mark>.');
  const long = Array.from({ length: 60 }, (_, i) => `parola${i}`).join(' ') + ' operatori finali';
  expect(snippets(plan, 'it', 8)([['summary', long]])).toMatch(/^… parola5\d .* <mark>operatori<\/mark> finali$/);
  // No match in the texts (the title matched): the opening of the first text.
  expect(snippets(plan, 'it')([['summary', 'Primo testo.']])).toBe('Primo testo.');
});

test('words are runs of letters and digits, as Unicode has them (surrogate pairs, marks, lone surrogates)', () => {
  let seed = 3;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pieces = [
    'a',
    'Z',
    '7',
    ' ',
    '-',
    "'",
    'è',
    'e\u0301',
    'ß',
    '𐐀',
    '𝔘',
    '\ud800',
    '\udc00',
    '٣',
    '中',
    '🙂',
    '\u00a0',
    'ﬁ',
    'Σ',
    '_',
  ];
  for (let n = 0; n < 3000; n += 1) {
    const text = Array.from({ length: Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    const found: [number, number][] = [];
    eachWord(text, (start, end) => {
      found.push([start, end]);
    });
    expect([text, found]).toEqual([text, [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => [m.index, m.index! + m[0].length])]);
  }
});

/** The snippet as its rule says, every word of every text analysed: what snippets() must answer. */
function referenceSnippet(texts: [string, string][], plan: ReturnType<typeof planQuery>, locale: 'it' | 'en', words = 24): string {
  const options = plan.flatMap((q) => [
    ...q.alternatives.map((term) => ({ term, prefix: q.prefix })),
    ...(q.typos ?? []).map((term) => ({ term, prefix: false })),
  ]);
  const matches = (term: string) => term !== '' && options.some((o) => (o.prefix ? term.startsWith(o.term) : term === o.term));
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => entities[c]);
  let best: { text: string; at: number; hits: number } | undefined;
  for (const [, text] of texts) {
    const hits = tokenize(text, locale).flatMap((token, index) => (matches(token.term) ? [index] : []));
    for (const first of hits.keys()) {
      const inWindow = hits.filter((hit) => hit >= hits[first] && hit < hits[first] + words).length;
      if (!best || inWindow > best.hits) best = { text, at: Math.max(0, hits[first] - 4), hits: inWindow };
    }
  }
  const text = best?.text ?? texts[0]?.[1] ?? '';
  const at = best?.at ?? 0;
  const tokens = tokenize(text, locale);
  const window = tokens.slice(at, at + words);
  if (!window.length) return '';
  const first = at > 0 ? window[0].start : 0;
  const last = window[window.length - 1].end;
  const marked = window.map(
    (token, i) =>
      escape(text.slice(i ? window[i - 1].end : first, token.start)) +
      (matches(token.term) ? `<mark>${escape(token.word)}</mark>` : escape(token.word)),
  );
  const rest = text.slice(last);
  const tail = at + words < tokens.length ? escape(rest.slice(0, rest.search(/\s|$/))) + ' …' : escape(rest);
  return `${at > 0 ? '… ' : ''}${marked.join('')}${tail}`.trim();
}

test("a word's term begins with the word's folded first letter (snippets analyse only the words that can match)", () => {
  // The source article lives in the project workspace beside the repository; a clone elsewhere on this machine finds it at /work/shared.
  const article = [path.resolve(__dirname, '../../../shared'), '/work/shared']
    .map((dir) => path.join(dir, 'seed/comin40-final-workshop-article.txt'))
    .find((file) => fs.existsSync(file));
  if (!article) throw new Error('The source article (shared/seed/comin40-final-workshop-article.txt) was not found beside the repository.');
  const source = fs.readFileSync(article, 'utf8');
  const odd = 'young Ystad yield dying lying tying skies quiete uomo ÉCOLE İstanbul ΣΑΣ ǅemal ﬁne Straße ŉ 𐐀𐐨 Ωmega';
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const letters = 'abcdefghijklmnopqrstuvwxyzyyuuiiqàèéìòùÀÉYQUIßæø0123456789ΣΑİ';
  const made = Array.from({ length: 20000 }, () =>
    Array.from({ length: 1 + Math.floor(random() * 12) }, () => letters[Math.floor(random() * letters.length)]).join(''),
  );
  for (const locale of ['it', 'en'] as const)
    for (const token of tokenize(`${source} ${odd} ${made.join(' ')}`, locale))
      if (token.term && token.term.codePointAt(0) !== firstLetter(token.word.codePointAt(0)!))
        throw new Error(`${locale} ${token.word}: term ${token.term}`);
});

test('snippets answer as the rule says, every word analysed: random texts, queries with prefixes, alternatives and typos', () => {
  let seed = 11;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const vocabulary =
    'operatori operatore opera Operazione rete reti minori minorenni Stranieri migranti immigrati formazione formativi lavoro lavoratori <b> & "casa" alloggio abitare the training trained of public housing lives Città perché «Ente» 🙂 𝒜lloggio'.split(
      ' ',
    );
  const text = () =>
    Array.from({ length: Math.floor(random() * 70) }, () => pick(vocabulary) + pick([' ', ' ', ', ', '. ', ' – '])).join('');
  let compared = 0;
  for (let round = 0; round < 400; round += 1) {
    const locale = pick(['it', 'en'] as const);
    const query = Array.from({ length: 1 + Math.floor(random() * 2) }, () => pick(vocabulary).replace(/[^\p{L}]/gu, '')).join(' ');
    const typed = query.slice(0, Math.max(2, Math.floor(random() * query.length) + 1));
    let plan: ReturnType<typeof planQuery>;
    try {
      plan = planQuery(typed, locale, thesaurus);
    } catch {
      continue; // only stop words
    }
    if (random() < 0.3)
      plan = withTypos(
        plan,
        terms(vocabulary.join(' '), locale)
          .split(' ')
          .map((term) => ({ term, entries: 1 })),
      );
    const words = pick([8, 24]);
    // One page's snippets share what they learn of its words: several entries, one after another.
    const snippetOf = snippets(plan, locale, words);
    for (let entry = 0; entry < 1 + Math.floor(random() * 3); entry += 1) {
      const texts: [string, string][] = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, i) => [`field${i}`, text()]);
      expect([typed, snippetOf(texts)]).toEqual([typed, referenceSnippet(texts, plan, locale, words)]);
      compared += 1;
    }
  }
  expect(compared).toBeGreaterThan(300);
});

test('territories include what lies inside them', () => {
  const nodes = [
    { documentId: 'B', slug: 'basilicata', parent: null },
    { documentId: 'P', slug: 'potenza', parent: 'B' },
    { documentId: 'M', slug: 'matera', parent: 'B' },
    { documentId: 'V', slug: 'venosa', parent: 'P' },
    { documentId: 'C', slug: 'campania', parent: null },
  ];
  expect(territoriesWithin(nodes, ['basilicata']).sort()).toEqual(['B', 'M', 'P', 'V']);
  expect(territoriesWithin(nodes, ['potenza']).sort()).toEqual(['P', 'V']);
  expect(() => territoriesWithin(nodes, ['atlantide'])).toThrow(/Unknown territory: atlantide/);
});

test('scores put title matches first and read alike on both engines', () => {
  expect(score(true, 0)).toBe(1);
  expect(score(false, 1000)).toBeLessThan(1);
  expect(score(false, 2)).toBeGreaterThan(score(false, 1));
});

test('pages from either form of PaginationArg', () => {
  expect(searchPage()).toEqual({ offset: 0, limit: 10 });
  expect(searchPage({ page: 3, pageSize: 20 })).toEqual({ offset: 40, limit: 20 });
  expect(searchPage({ start: 5, limit: 7 })).toEqual({ offset: 5, limit: 7 });
});

test('an index entry: title, texts, related names, facets and dates of a good practice', () => {
  const targets = {
    themes: 'api::theme.theme',
    territories: 'api::territory.territory',
    project: 'api::project.project',
    leadOrganization: 'api::organization.organization',
    partnerOrganizations: 'api::organization.organization',
  };
  const entry = entryFor(
    'good-practice',
    {
      documentId: 'd1',
      locale: 'it',
      slug: 'p',
      title: 'Rete di governance',
      summary: 'Una rete pubblico/privata.',
      implementationStatus: 'ongoing',
      startDate: '2021-01-01',
      targetGroups: [{ group: 'public_operators' }],
      themes: [{ documentId: 't1', name: 'Governance dei servizi' }],
      territories: [{ documentId: 'b', name: 'Basilicata' }],
      project: { documentId: 'pr', acronym: 'Com.In.4.0', title: 'Competenze per l’integrazione' },
      leadOrganization: null,
      partnerOrganizations: [],
      curationStatus: 'validated',
      reviewerNote: 'privato',
    },
    targets,
  );
  expect(entry).toMatchObject({ type: 'good-practice', title: 'Rete di governance', startDate: '2021-01-01', endDate: '2021-01-01' });
  expect(entry.texts).toEqual([['summary', 'Una rete pubblico/privata.']]);
  expect(entry.relatedTerms).toContain('basilic');
  expect(JSON.stringify(entry)).not.toMatch(/privato|validated/);
  // Its facets, as the words the index matches filters (and finds the records naming a related one) with.
  expect(entry.filterTerms.split(' ')).toEqual(
    expect.arrayContaining([
      '_locale_it',
      '_type_goodpractice',
      '_theme_t1',
      '_territory_b',
      '_project_pr',
      '_targetgroup_publicoperators',
      '_status_ongoing',
    ]),
  );
});

test('typos: one insertion, deletion, substitution or transposition', () => {
  const near = ['locantor', 'locantr', 'lcoantor', 'locantoro', 'locandor'];
  for (const word of near) {
    expect(oneEditApart('locantor', word) || word === 'locantor').toBe(true);
  }
  for (const far of ['lacantur', 'locant', 'locantorio', 'rotnacol']) expect(oneEditApart('locantor', far)).toBe(false);

  const plan = planQuery('lokantore consorzio', 'it', thesaurus);
  const vocabulary = [
    { term: 'locantor', entries: 2 },
    { term: 'consorz', entries: 5 },
    { term: 'consorzi', entries: 1 },
    { term: 'lokantor', entries: 1 },
  ];
  const tolerant = withTypos(plan, vocabulary);
  // The word as typed is not its own typo; for the last word, terms its prefix already matches are not typos either.
  expect(tolerant[0].typos).toEqual(['locantor']);
  expect(tolerant[1].typos).toBeUndefined();
  // Typos widen the match but not what counts as exact.
  expect(tolerant[0].alternatives).toEqual(['lokantor']);
  expect(score(true, 5, false)).toBe(0);
  // Typos are marked in the snippet too.
  expect(snippets(tolerant, 'it')([['bio', 'Maria Locantore, relatrice']])).toContain('<mark>Locantore</mark>');
});

test('index entries of a person, a project and an event: names of speakers and funding texts', () => {
  const person = entryFor(
    'person',
    {
      documentId: 'p1',
      locale: 'it',
      slug: 'maria-rossi',
      fullName: 'Maria Rossi',
      bio: 'Relatrice.',
      email: 'privato@example.org',
      affiliations: [{ jobTitle: 'Direttrice', organization: { documentId: 'o1', name: 'Consorzio NOVA' } }],
    },
    { 'affiliations.organization': 'api::organization.organization' },
  );
  expect(person).toMatchObject({
    title: 'Maria Rossi',
    texts: [
      ['bio', 'Relatrice.'],
      ['affiliations', 'Direttrice'],
    ],
  });
  expect(person.relatedTerms).toBe('consorz nov');
  expect(person.filterTerms).toBe('_locale_it _type_person _person_p1 _organization_o1');
  expect(JSON.stringify(person)).not.toMatch(/privato/);

  const project = entryFor(
    'project',
    { documentId: 'pr', locale: 'it', slug: 'comin', title: 'Competenze', acronym: 'Com.In.4.0', funding: { fund: 'FAMI 2014-2020' } },
    {
      territories: 'api::territory.territory',
      coordinator: 'api::person.person',
      'partners.organization': 'api::organization.organization',
    },
  );
  expect(project.texts).toEqual([['funding', 'FAMI 2014-2020']]);
  expect(project.titleTerms).toBe('competent com 4 0');

  const targets = {
    themes: 'api::theme.theme',
    territory: 'api::territory.territory',
    project: 'api::project.project',
    organizers: 'api::organization.organization',
    'agenda.speakers': 'api::person.person',
  };
  // Speakers are populated only with consent; the agenda keeps its own fields.
  expect(populateFor('event', targets).agenda).toEqual({
    populate: { speakers: { fields: ['documentId', 'fullName'], filters: { consentToPublish: true } } },
  });
  const event = entryFor(
    'event',
    {
      documentId: 'e',
      locale: 'it',
      slug: 'w',
      title: 'Workshop',
      agenda: [{ title: 'Saluti', speakers: [{ documentId: 'p1', fullName: 'Maria Rossi' }] }],
    },
    targets,
  );
  expect(event.texts).toEqual([['agenda', 'Saluti']]);
  expect(event.relatedTerms).toBe('mar ross');
});

describe('the texts of overlapping searches, read together (batchedShown)', () => {
  /** A read that waits to be let go, recording what it was asked and when. */
  function heldReads() {
    const asked: { ids: number[]; seq: number; release: (moved?: boolean) => void; fail: (error: Error) => void }[] = [];
    const read = (ids: number[], seq: number) =>
      new Promise<{ entries: Map<number, any>; moved: boolean }>((resolve, reject) =>
        asked.push({
          ids,
          seq,
          release: (moved = false) => resolve({ entries: new Map(ids.map((id) => [id, { title: `entry ${id}` }])), moved }),
          fail: reject,
        }),
      );
    return { asked, read };
  }
  const settled = () => new Promise((resolve) => setImmediate(resolve));

  test('alone, a read goes at once; those asked while it runs share the next, one per log position, never the one in flight', async () => {
    const { asked, read } = heldReads();
    const shown = batchedShown(read);
    const first = shown([1, 2], 7);
    expect(asked.map(({ ids, seq }) => [ids, seq])).toEqual([[[1, 2], 7]]);
    // Asked while the first runs: not added to it (its snapshot may predate them), gathered for the next.
    const second = shown([2, 3], 7);
    const third = shown([4], 7);
    const later = shown([5], 8);
    expect(asked).toHaveLength(1);
    asked[0].release();
    expect((await first).entries.has(3)).toBe(false);
    await settled();
    expect(asked.slice(1).map(({ ids, seq }) => [ids.sort(), seq])).toEqual([
      [[2, 3, 4], 7],
      [[5], 8],
    ]);
    asked[1].release(true);
    asked[2].release();
    const [two, three, five] = await Promise.all([second, third, later]);
    expect([two.moved, three.moved, five.moved]).toEqual([true, true, false]);
    expect([...three.entries.keys()].sort()).toEqual([2, 3, 4]);
    expect(five.entries.get(5)).toEqual({ title: 'entry 5' });
    // Nothing in flight any more: the next goes at once.
    await settled();
    void shown([6], 8);
    expect(asked).toHaveLength(4);
  });

  test('a read that fails fails the searches it was for, and the next still goes', async () => {
    const { asked, read } = heldReads();
    const shown = batchedShown(read);
    const first = shown([1], 1);
    const second = shown([2], 1);
    asked[0].fail(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await settled();
    asked[1].fail(new Error('still lost'));
    await expect(second).rejects.toThrow('still lost');
    await settled();
    const third = shown([3], 1);
    asked[2].release();
    expect((await third).entries.has(3)).toBe(true);
  });
});

test('the filters’ vocabulary is read once per position of the index’s log (keptVocabulary)', async () => {
  const reads: string[] = [];
  let fail = false;
  const vocabulary = keptVocabulary(async (kind, locale) => {
    reads.push(`${kind} ${locale}`);
    if (fail) throw new Error('connection lost');
    return [{ documentId: `${kind}-${reads.length}`, slug: 'rete' }];
  });
  const first = await vocabulary('themes', 'it', 5);
  expect(await vocabulary('themes', 'it', 5)).toBe(first);
  await vocabulary('themes', 'en', 5);
  await vocabulary('territories', 'it', 5);
  expect(reads).toEqual(['themes it', 'themes en', 'territories it']);
  // A write since: read again; a search still at the older position reads for itself and leaves the newer read kept.
  const newer = await vocabulary('themes', 'it', 6);
  expect(newer).not.toBe(first);
  expect(await vocabulary('themes', 'it', 5)).not.toBe(newer);
  expect(await vocabulary('themes', 'it', 6)).toBe(newer);
  expect(reads).toHaveLength(5);
  // A read that fails is not kept.
  fail = true;
  await expect(vocabulary('themes', 'it', 7)).rejects.toThrow('connection lost');
  fail = false;
  expect(await vocabulary('themes', 'it', 7)).toEqual([{ documentId: 'themes-7', slug: 'rete' }]);
});

test("the search thread's messages leave in batches: those sent in one turn of the event loop together, in order", async () => {
  const posted: number[][] = [];
  const send = batchedPost<number>((messages) => posted.push(messages));
  send(1);
  send(2);
  await Promise.resolve().then(() => send(3)); // a promise settled in the same turn
  expect(posted).toEqual([]);
  await new Promise((resolve) => setImmediate(resolve));
  send(4);
  await new Promise((resolve) => setImmediate(resolve));
  expect(posted).toEqual([[1, 2, 3], [4]]);
});
