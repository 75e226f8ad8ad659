/**
 * The seeded knowledge base against its source, the project's final-workshop article
 * (../shared/seed/comin40-final-workshop-article.txt): every fact the article gives, read back
 * through the public GraphQL API as a partner would; every value the editors inferred flagged in
 * the record's `inferences`, in both languages; and nothing claimed that the article does not
 * give (no review, no network membership, no figure credited to the wrong activity).
 */
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

const INFERENCES = 'inferences { field basis }';

const QUERY = `query Seed($locale: I18NLocaleCode) {
  projects(locale: $locale) {
    slug acronym title summary objectives startDate endDate ${INFERENCES}
    funding { fund specificObjective nationalObjective action call legalBasis }
    partners { role organization { slug } }
    territories { slug } coordinator { slug }
  }
  events(locale: $locale) {
    slug type title description startDate endDate jsonLd ${INFERENCES}
    venue { name address city }
    territory { slug level istatCode nutsCode parent { slug nutsCode } }
    organizers { slug } project { slug }
    agenda { time session kind title speakers { slug } thematicTable { slug } }
    themes(sort: "slug") { slug }
  }
  thematicTables(locale: $locale, sort: "order") { slug order title scope event { slug } ${INFERENCES} }
  outcomes(locale: $locale, sort: "value:desc") {
    slug value qualifier indicatorType unit periodStart periodEnd ${INFERENCES}
    project { slug } territory { slug } goodPractices { slug } trainings { slug } events { slug }
  }
  organizations(locale: $locale, sort: "slug") { slug name acronym type governanceNetworkMember territory { slug } ${INFERENCES} }
  people(locale: $locale, sort: "slug") { slug fullName affiliations { jobTitle organization { slug } } ${INFERENCES} }
  goodPractices(locale: $locale, sort: "slug") {
    slug title summary objectives results transferability implementationStatus startDate endDate ${INFERENCES}
    targetGroups { group } outcomes { slug } thematicTables { slug } themes { slug } territories { slug }
  }
  territories(locale: $locale, sort: "slug") { slug name level nutsCode istatCode ${INFERENCES} }
  themes(locale: $locale) { slug ${INFERENCES} }
  trainings(locale: $locale) { slug }
}`;

/** Every value the editors inferred, and nothing else: [type, slug, field]. */
const INFERRED = [
  ['events', 'final-workshop-potenza', 'startDate'],
  ['goodPractices', 'forum-regionale-sui-fenomeni-migratori', 'implementationStatus'],
  ['goodPractices', 'incontri-formativi-nei-territori', 'implementationStatus'],
  ['goodPractices', 'poli-sociali-formazione-individuale-e-personalizzata', 'implementationStatus'],
  ['goodPractices', 'rete-di-governance-pubblico-privata', 'implementationStatus'],
  ['outcomes', 'incontri-formativi-nei-territori', 'indicatorType'],
  ['outcomes', 'operatori-pubblici-beneficiari', 'indicatorType'],
  ['outcomes', 'persone-coinvolte', 'indicatorType'],
  ['outcomes', 'rete-di-governance', 'indicatorType'],
  ['projects', 'com-in-4-0', 'partners'],
];

const bySlug = (records: any[]) => Object.fromEntries(records.map((record) => [record.slug, record]));
const slugs = (records: { slug: string }[] | null) => (records ?? []).map((record) => record.slug);

describe('the seed tells what the article says, and marks what the editors inferred', () => {
  let kb: KnowledgeBase;
  const data: Record<string, any> = {};
  beforeAll(async () => {
    kb = await startKnowledgeBase();
    for (const locale of ['it', 'en']) data[locale] = await kb.data(QUERY, { locale });
  });
  afterAll(async () => {
    await kb.stop();
  });

  test('the project: its name, funding line and figures, with no objectives, dates or roles the article does not give', () => {
    const [project] = data.it.projects;
    expect(project).toMatchObject({
      slug: 'com-in-4-0',
      acronym: 'Com.In.4.0',
      title: "Com.In.4.0 – Competenze per l'integrazione",
      objectives: null,
      startDate: null,
      endDate: null,
      funding: {
        fund: 'Fondo Asilo, Migrazione e Integrazione (FAMI) 2014-2020',
        specificObjective: 'Obiettivo Specifico 2. Integrazione / Migrazione legale',
        nationalObjective: 'Obiettivo nazionale ON 3 – Capacity building',
        action: 'lett. j) Governance dei servizi',
        call: 'Capacity building 2018',
        legalBasis: null,
      },
      territories: [{ slug: 'basilicata' }],
      coordinator: { slug: 'elvira-locantore' },
    });
    for (const figure of [
      'quattordici incontri formativi nei territori',
      'oltre 110 persone coinvolte',
      '50 operatori pubblici beneficiari degli interventi',
      '55 istituzioni, associazioni ed enti nella rete di governance attivata',
      "un confronto interregionale per condividere metodologie e prospettive per costruire azioni di sistema per l'integrazione sociale e l'inserimento lavorativo dei migranti",
    ])
      expect(project.summary).toContain(figure);
    // Their part in the project is the editors' reading: flagged.
    expect(project.partners).toEqual([
      { role: 'partner', organization: { slug: 'regione-basilicata' } },
      { role: 'partner', organization: { slug: 'consorzio-nova' } },
    ]);
  });

  test('the Final Workshop: where, when (the year inferred), its agenda with times, sessions, speakers and tables', () => {
    const [event] = data.it.events;
    expect(event).toMatchObject({
      slug: 'final-workshop-potenza',
      type: 'final_workshop',
      title: 'Final Workshop regionale del progetto Com.In.4.0',
      // 26 September, 09:00 in Potenza (CEST); the year is the editors'.
      startDate: '2022-09-26T07:00:00.000Z',
      endDate: null,
      venue: { name: 'GoDesk', address: 'Via della Tecnica 18', city: 'Potenza' },
      // The venue is in the city, not somewhere in its province.
      territory: {
        slug: 'comune-di-potenza',
        level: 'municipality',
        istatCode: '076063',
        nutsCode: null,
        parent: { slug: 'potenza', nutsCode: 'ITF51' },
      },
      organizers: [],
      project: { slug: 'com-in-4-0' },
    });
    expect(event.description).toContain('Una restituzione collettiva del lavoro svolto');
    expect(event.description).toContain("nell'ambito del Piano d'insediamento accogliente");
    expect(slugs(event.themes)).toEqual([
      'abitare-i-territori',
      'formazione-e-competenze-dei-migranti',
      'forum-regionale-sui-fenomeni-migratori',
      'minori-stranieri-e-neomaggiorenni',
    ]);
    const agenda = event.agenda.map((item: any) => ({
      time: item.time?.slice(0, 5) ?? null,
      session: item.session,
      kind: item.kind,
      speakers: slugs(item.speakers),
      table: item.thematicTable?.slug ?? null,
    }));
    const table = (slug: string) => ({ time: null, session: 'morning', kind: 'thematic_tables', speakers: [], table: slug });
    expect(agenda).toEqual([
      { time: '09:00', session: 'morning', kind: 'registration', speakers: [], table: null },
      { time: null, session: null, kind: 'welcome', speakers: ['michele-busciolano', 'elvira-locantore'], table: null },
      { time: null, session: null, kind: 'introduction', speakers: ['giovanni-casaletto'], table: null },
      { time: null, session: null, kind: 'talk', speakers: ['gianpietro-losapio'], table: null },
      table('minori-stranieri-e-neomaggiorenni'),
      table('forum-regionale-sui-fenomeni-migratori'),
      table('abitare-i-territori'),
      table('formazione-e-competenze-dei-migranti'),
      { time: null, session: 'afternoon', kind: 'plenary', speakers: [], table: null },
      { time: null, session: null, kind: 'debate', speakers: [], table: null },
      { time: null, session: null, kind: 'conclusions', speakers: [], table: null },
    ]);
    // JSON-LD states no inferred value as a fact (neither the date nor the agenda's times on that day) and says why.
    expect(event.jsonLd.startDate).toBeUndefined();
    expect(event.jsonLd.subEvent.every((sub: any) => sub.startDate === undefined)).toBe(true);
    expect(event.jsonLd.mainEntityOfPage.isBasedOn.description).toContain(event.inferences[0].basis);
    expect(event.jsonLd.location).toMatchObject({
      name: 'GoDesk',
      address: { streetAddress: 'Via della Tecnica 18', addressLocality: 'Potenza' },
    });
  });

  test('the speakers and their roles, as the article gives them', () => {
    const people = bySlug(data.it.people);
    const role = (slug: string) => people[slug].affiliations.map((a: any) => [a.jobTitle, a.organization?.slug ?? null]);
    expect(Object.keys(people).sort()).toEqual(['elvira-locantore', 'gianpietro-losapio', 'giovanni-casaletto', 'michele-busciolano']);
    expect(people['michele-busciolano'].fullName).toBe('Michele Busciolano');
    expect(role('michele-busciolano')).toEqual([['Capo di Gabinetto', 'regione-basilicata']]);
    // The article names no organisation of hers.
    expect(role('elvira-locantore')).toEqual([['Coordinatrice progetto COM.IN.4.0', null]]);
    expect(role('giovanni-casaletto')).toEqual([['Regional Project Manager', 'consorzio-nova']]);
    expect(role('gianpietro-losapio')).toEqual([['Direttore', 'consorzio-nova']]);
  });

  test('the four thematic tables, in the article order, with their scope', () => {
    const tables = data.it.thematicTables;
    expect(tables.map((t: any) => [t.order, t.slug, t.title, t.event.slug])).toEqual([
      [1, 'minori-stranieri-e-neomaggiorenni', 'Minori stranieri e neomaggiorenni', 'final-workshop-potenza'],
      [2, 'forum-regionale-sui-fenomeni-migratori', 'Forum regionale sui fenomeni migratori', 'final-workshop-potenza'],
      [3, 'abitare-i-territori', 'Abitare i territori', 'final-workshop-potenza'],
      [4, 'formazione-e-competenze-dei-migranti', 'Formazione e competenze dei migranti', 'final-workshop-potenza'],
    ]);
    expect(tables[0].scope).toContain('con il coinvolgimento delle comunità locali');
    expect(tables[1].scope).toContain('una mappatura e una rilevazione dei bisogni e delle esperienze già in essere');
    expect(tables[2].scope).toContain('integrando, a loro volta, i servizi territoriali');
    expect(tables[3].scope).toContain(
      'con particolare riferimento al ruolo dei Poli sociali nel supporto alla formazione individuale e personalizzata',
    );
  });

  test('the figures with their qualifiers, as project-wide totals; the interregional exchange is no figure', () => {
    const outcomes = data.it.outcomes.map((o: any) => ({
      slug: o.slug,
      value: Number(o.value),
      qualifier: o.qualifier,
      unit: o.unit,
      period: [o.periodStart, o.periodEnd],
      project: o.project?.slug,
      territory: o.territory?.slug,
      linked: [...slugs(o.goodPractices), ...slugs(o.trainings), ...slugs(o.events)],
    }));
    const total = { period: [null, null], project: 'com-in-4-0', territory: 'basilicata' };
    expect(outcomes).toEqual([
      { slug: 'persone-coinvolte', value: 110, qualifier: 'at_least', unit: 'persone', ...total, linked: [] },
      {
        slug: 'rete-di-governance',
        value: 55,
        qualifier: 'exact',
        unit: 'istituzioni, associazioni ed enti',
        ...total,
        linked: ['rete-di-governance-pubblico-privata'],
      },
      { slug: 'operatori-pubblici-beneficiari', value: 50, qualifier: 'exact', unit: 'operatori pubblici', ...total, linked: [] },
      {
        slug: 'incontri-formativi-nei-territori',
        value: 14,
        qualifier: 'exact',
        unit: 'incontri formativi',
        ...total,
        linked: ['incontri-formativi-nei-territori'],
      },
    ]);
    // The article describes no single training meeting.
    expect(data.it.trainings).toEqual([]);
  });

  test('the organisations: what they are, and unknown where the article does not tell', () => {
    expect(
      data.it.organizations.map((o: any) => [o.slug, o.name, o.acronym, o.type, o.governanceNetworkMember, o.territory?.slug ?? null]),
    ).toEqual([
      ['consorzio-nova', 'Consorzio NOVA', 'NOVA', 'consortium', null, null],
      ['regione-basilicata', 'Regione Basilicata', null, 'public_authority', null, 'basilicata'],
    ]);
  });

  test('the good practices claim no target group, objective or figure the article does not give them', () => {
    const practices = bySlug(data.it.goodPractices);
    expect(Object.keys(practices)).toEqual([
      'forum-regionale-sui-fenomeni-migratori',
      'incontri-formativi-nei-territori',
      'poli-sociali-formazione-individuale-e-personalizzata',
      'rete-di-governance-pubblico-privata',
    ]);
    for (const practice of Object.values<any>(practices)) {
      expect(practice.targetGroups).toEqual([]);
      expect([practice.objectives, practice.transferability, practice.startDate, practice.endDate]).toEqual([null, null, null, null]);
      expect(slugs(practice.territories)).toEqual(['basilicata']);
    }
    const meetings = practices['incontri-formativi-nei-territori'];
    expect(meetings.summary).toContain('Quattordici incontri formativi');
    expect(meetings.summary).not.toMatch(/operatori|110/);
    expect(slugs(meetings.outcomes)).toEqual(['incontri-formativi-nei-territori']);
    expect(practices['rete-di-governance-pubblico-privata'].results).toBe(
      '55 istituzioni, associazioni ed enti coinvolti nella rete di governance attivata.',
    );
    expect(slugs(practices['forum-regionale-sui-fenomeni-migratori'].thematicTables)).toEqual(['forum-regionale-sui-fenomeni-migratori']);
    expect(slugs(practices['poli-sociali-formazione-individuale-e-personalizzata'].thematicTables)).toEqual([
      'formazione-e-competenze-dei-migranti',
    ]);
    expect(Object.values<any>(practices).map((p) => [p.slug, p.implementationStatus])).toEqual([
      ['forum-regionale-sui-fenomeni-migratori', 'ongoing'],
      ['incontri-formativi-nei-territori', 'concluded'],
      ['poli-sociali-formazione-individuale-e-personalizzata', 'ongoing'],
      ['rete-di-governance-pubblico-privata', 'ongoing'],
    ]);
  });

  test('every inferred value is flagged with a reason, in both languages, and nothing else is', () => {
    for (const locale of ['it', 'en']) {
      const flagged = Object.entries<any[]>(data[locale])
        .flatMap(([type, records]) =>
          records.flatMap((record) => (record.inferences ?? []).map((inference: any) => ({ type, slug: record.slug, ...inference }))),
        )
        .sort((a, b) => `${a.type} ${a.slug} ${a.field}`.localeCompare(`${b.type} ${b.slug} ${b.field}`));
      expect(flagged.map(({ type, slug, field }) => [type, slug, field])).toEqual(INFERRED);
      for (const { basis } of flagged) expect(basis.length).toBeGreaterThan(40);
    }
    expect(data.it.events[0].inferences[0].basis).toContain('26 settembre');
    expect(data.en.events[0].inferences[0].basis).toContain('26 September');
  });

  test('no review is claimed: the practices come from the source, unreviewed, and the curation stays private', async () => {
    const rows = await kb.strapi.db
      .query('api::good-practice.good-practice')
      .findMany({ select: ['slug', 'curationStatus', 'reviewerNote'], where: { publishedAt: { $notNull: true } } });
    expect(rows.length).toBe(8);
    for (const row of rows) expect([row.curationStatus, row.reviewerNote]).toEqual(['from_source', null]);
    const res = await kb.graphql('{ goodPractices { curationStatus } }');
    expect(res.body.errors?.[0]?.message).toMatch(/curationStatus/);
  });

  test('English: public-service staff, local areas, British spelling', () => {
    // Every English text (not the keys, the Italian slugs or the JSON-LD, which names schema.org terms).
    const strings = (value: unknown, key = ''): string[] =>
      key === 'jsonLd' || key === 'slug'
        ? []
        : typeof value === 'string'
          ? [value]
          : value && typeof value === 'object'
            ? Object.entries(value).flatMap(([k, v]) => strings(v, k))
            : [];
    const texts = strings(data.en).join('\n');
    expect(texts).not.toMatch(/public operator|in the territories|\borganiz|\bprogram\b|come of age/i);
    expect(bySlug(data.en.outcomes)['operatori-pubblici-beneficiari'].unit).toBe('public-service staff');
    expect(bySlug(data.en.thematicTables)['abitare-i-territori'].title).toBe('Living in local areas');
  });
});
