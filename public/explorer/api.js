// Everything the explorer reads: records through the public GraphQL API only (as any partner would),
// field labels as the server's field guide gives them.

export const PAGE_SIZE = 10;
const OVERVIEW_SIZE = 3;

export class ApiError extends Error {}

/** One anonymous GraphQL read; a network failure or a GraphQL error becomes an ApiError with the server's words. */
export async function graphql(query, variables, signal) {
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError('');
  }
  const body = await response.json().catch(() => null);
  if (body?.errors?.length) throw new ApiError(body.errors.map((e) => e.message).join('; '));
  if (!response.ok || !body?.data) throw new ApiError(`HTTP ${response.status}`);
  return body.data;
}

let labels;
/**
 * The field labels of the public types and their components, in both languages: the admin's own
 * (src/content/labels), read once. A failed read is tried again on the next page.
 */
export function fieldLabels() {
  labels ??= fetch('/explorer/labels.json', { headers: { accept: 'application/json' } })
    .then(
      (response) => (response.ok ? response.json() : Promise.reject(new ApiError(`HTTP ${response.status}`))),
      () => Promise.reject(new ApiError('')),
    )
    .catch((error) => {
      labels = undefined;
      throw error;
    });
  return labels;
}

const text = (field) => (node) => node[field];
const byTheme = (slug) => ({ themes: { slug: { eq: slug } } });
const places = 'themes { slug name } territories { slug name }';
/**
 * The listed types: the search enum, the generated list query, the field read as the title (unless
 * `title`), how each is filtered by theme and
 * by territory (a territory includes what lies inside it, as in `search`; a type without the
 * relation has no such filter), sorted and summarised.
 */
export const LIST = {
  'good-practices': {
    search: 'GOOD_PRACTICE',
    query: 'goodPractices',
    filters: 'GoodPracticeFiltersInput',
    sort: 'title',
    fields: `summary startDate endDate inferences { field basis } ${places}`,
    summary: text('summary'),
    theme: byTheme,
    territory: (slug) => ({ territories: { within: slug } }),
    // The core of the knowledge base: more of them on the home page, as cards.
    overview: 6,
  },
  trainings: {
    search: 'TRAINING',
    query: 'trainings',
    filters: 'TrainingFiltersInput',
    sort: 'startDate:desc',
    fields: 'description startDate endDate inferences { field basis }',
    summary: text('description'),
    theme: byTheme,
    territory: (slug) => ({ territory: { within: slug } }),
  },
  'thematic-tables': {
    search: 'THEMATIC_TABLE',
    query: 'thematicTables',
    filters: 'ThematicTableFiltersInput',
    sort: 'order',
    fields: 'scope',
    summary: text('scope'),
    theme: byTheme,
    territory: (slug) => ({ event: { territory: { within: slug } } }),
  },
  events: {
    search: 'EVENT',
    query: 'events',
    filters: 'EventFiltersInput',
    sort: 'startDate:desc',
    fields: 'description startDate endDate inferences { field basis }',
    summary: text('description'),
    theme: byTheme,
    territory: (slug) => ({ territory: { within: slug } }),
  },
  outcomes: {
    search: 'OUTCOME',
    query: 'outcomes',
    filters: 'OutcomeFiltersInput',
    sort: 'value:desc',
    fields: 'description value qualifier unit',
    summary: text('description'),
    theme: byTheme,
    territory: (slug) => ({ territory: { within: slug } }),
  },
  projects: {
    search: 'PROJECT',
    query: 'projects',
    filters: 'ProjectFiltersInput',
    sort: 'title',
    fields: 'acronym summary startDate endDate',
    summary: text('summary'),
    territory: (slug) => ({ territories: { within: slug } }),
  },
  organizations: {
    search: 'ORGANIZATION',
    query: 'organizations',
    filters: 'OrganizationFiltersInput',
    sort: 'name',
    title: 'title: name',
    fields: 'acronym description',
    summary: (node) => node.description ?? node.acronym,
    territory: (slug) => ({ territory: { within: slug } }),
  },
  people: {
    search: 'PERSON',
    query: 'people',
    filters: 'PersonFiltersInput',
    sort: 'fullName',
    title: 'title: fullName',
    fields: 'affiliations { jobTitle organization { name } }',
    summary: (node) =>
      (node.affiliations ?? []).map((a) => [a.jobTitle, a.organization?.name].filter(Boolean).join(', ')).join('; ') || null,
  },
};
/** Found by the search, shown as filters rather than lists. */
const SEARCH_ONLY = { themes: 'THEME', territories: 'TERRITORY' };
export const typeOfSearchHit = Object.fromEntries([
  ...Object.entries(LIST).map(([type, config]) => [config.search, type]),
  ...Object.entries(SEARCH_ONLY).map(([type, search]) => [search, type]),
]);

/** The listed types a state can show: each filter in use must apply to the type (target groups belong to good practices). */
export const typesFor = (state) =>
  (state.type ? [state.type] : Object.keys(LIST)).filter(
    (type) =>
      (!state.theme || LIST[type].theme) && (!state.territory || LIST[type].territory) && (!state.group || type === 'good-practices'),
  );

/** A list query's filters for one type. */
function listFilters(type, { theme, territory, group }) {
  return {
    ...(theme ? LIST[type].theme(theme) : {}),
    ...(territory ? LIST[type].territory(territory) : {}),
    ...(group ? { targetGroups: { group: { eq: group } } } : {}),
  };
}
const figureFilters = ({ theme, territory }) => listFilters('outcomes', { theme, territory });

/** The filters' choices and the project the knowledge base is about (the first one published), per language. */
export const loadOptions = (locale, signal) =>
  graphql(
    `
      query Options($locale: I18NLocaleCode) {
        themes(locale: $locale, sort: "name", pagination: { pageSize: 100 }) {
          slug
          name
        }
        territories(locale: $locale, sort: "name", pagination: { pageSize: 100 }) {
          slug
          name
        }
        projects(locale: $locale, sort: "publishedAt:asc", pagination: { pageSize: 1 }) {
          slug
          title
          acronym
          summary
          funding {
            fund
          }
        }
      }
    `,
    { locale },
    signal,
  ).then(({ projects, ...options }) => ({ ...options, project: projects[0] ?? null }));

export const search = (locale, state, signal) =>
  graphql(
    `query Search($query: String!, $locale: I18NLocaleCode, $types: [SearchType!], $filters: SearchFiltersInput, $page: Int) {
      search(query: $query, locale: $locale, types: $types, filters: $filters, pagination: { page: $page, pageSize: ${PAGE_SIZE} }) {
        total totalExact items { type slug title snippet startDate endDate }
      }
    }`,
    {
      query: state.q,
      locale,
      types: [
        ...typesFor(state).map((type) => LIST[type].search),
        // Themes and territories are found too, unless the search is narrowed to a type or a target group.
        ...(state.type || state.group ? [] : Object.values(SEARCH_ONLY)),
      ],
      filters: {
        ...(state.theme ? { themes: [state.theme] } : {}),
        ...(state.territory ? { territories: [state.territory] } : {}),
        ...(state.group ? { targetGroups: [state.group] } : {}),
      },
      page: state.page,
    },
    signal,
  ).then((data) => data.search);

/** One type's published records, a page at a time. */
export function list(locale, state, signal) {
  const type = state.type;
  const config = LIST[type];
  return graphql(
    `query List($locale: I18NLocaleCode, $filters: ${config.filters}, $page: Int) {
      list: ${config.query}_connection(locale: $locale, filters: $filters, sort: "${config.sort}", pagination: { page: $page, pageSize: ${PAGE_SIZE} }) {
        nodes { slug ${config.title ?? 'title'} ${config.fields} }
        pageInfo { total page pageCount }
      }
    }`,
    { locale, filters: listFilters(type, state), page: state.page },
    signal,
  ).then((data) => data.list);
}

/** The home page: the first records of each type and the outcome figures, in one request. */
export function overview(locale, state, signal) {
  const types = typesFor(state);
  const variables = { locale, figures: figureFilters(state) };
  const parts = types.map((type, i) => {
    const config = LIST[type];
    variables[`f${i}`] = listFilters(type, state);
    return `t${i}: ${config.query}_connection(locale: $locale, filters: $f${i}, sort: "${config.sort}", pagination: { pageSize: ${config.overview ?? OVERVIEW_SIZE} }) {
      nodes { slug ${config.title ?? 'title'} ${config.fields} } pageInfo { total }
    }`;
  });
  const declared = types.map((type, i) => `, $f${i}: ${LIST[type].filters}`).join('');
  return graphql(
    `query Overview($locale: I18NLocaleCode, $figures: OutcomeFiltersInput${declared}) {
      ${parts.join('\n')}
      figures: outcomeFigures(locale: $locale, groupBy: [PROJECT], filters: $figures) {
        project { acronym } unit total count qualifier outcomes { slug title }
      }
    }`,
    variables,
    signal,
  ).then((data) => ({ sections: types.map((type, i) => ({ type, ...data[`t${i}`] })), figures: data.figures }));
}

const link = 'slug title';
const org = 'slug name';
const person = 'slug fullName';
const project = 'project { slug title acronym }';
const source = 'source { title url publisher date note } license jsonLd inferences { field basis }';
const outcomes = 'outcomes { slug title value qualifier unit }';
/** One record page's list query and fields, per type. */
const RECORD_FIELDS = {
  'good-practices': [
    'goodPractices',
    `
    title summary context objectives activities results lessonsLearned transferability resourcesNeeded
    implementationStatus startDate endDate targetGroups { group }
    themes { slug name } territories { slug name } ${project}
    leadOrganization { ${org} } partnerOrganizations { ${org} }
    trainings { ${link} } thematicTables { ${link} } ${outcomes} ${source}`,
  ],
  trainings: [
    'trainings',
    `
    title description learningObjectives audience startDate endDate mode participantsCount publicOperatorsCount
    venue { name address city } themes { slug name } territory { slug name } ${project}
    trainers { ${person} } organizers { ${org} } goodPractices { ${link} } ${outcomes} ${source}`,
  ],
  'thematic-tables': [
    'thematicTables',
    `
    title scope findings recommendations event { slug title startDate inferences { field basis } }
    themes { slug name } facilitators { ${person} } participatingOrganizations { ${org} }
    goodPractices { ${link} } ${outcomes} ${source}`,
  ],
  events: [
    'events',
    `
    title description type startDate endDate venue { name address city }
    agenda { time session kind title speakers { ${person} affiliations { jobTitle organization { ${org} } } } thematicTable { ${link} } }
    themes { slug name } territory { slug name } ${project}
    organizers { ${org} } thematicTables { ${link} } ${outcomes} ${source}`,
  ],
  outcomes: [
    'outcomes',
    `
    title description indicatorType indicatorCode value qualifier unit periodStart periodEnd evidence
    themes { slug name } territory { slug name } ${project}
    goodPractices { ${link} } trainings { ${link} } events { ${link} } thematicTables { ${link} } ${source}`,
  ],
  organizations: [
    'organizations',
    `
    title: name acronym type website description governanceNetworkMember territory { slug name }
    ledGoodPractices { ${link} } ${source}`,
  ],
};

/** One published record by its slug, or null. */
export function record(locale, type, slug, signal) {
  const [query, fields] = RECORD_FIELDS[type];
  return graphql(
    `query Record($slug: String!, $locale: I18NLocaleCode) {
      record: ${query}(filters: { slug: { eq: $slug } }, locale: $locale, pagination: { pageSize: 1 }) {${fields}
      }
    }`,
    { slug, locale },
    signal,
  ).then((data) => data.record[0] ?? null);
}
