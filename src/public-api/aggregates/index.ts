import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { useFieldMiddleware } from '../graphql-middlewares';
import { territoryWithinMiddleware } from '../territory-filter';
import {
  COUNTED_KINDS,
  OUTCOME_DIMENSIONS,
  figuresLocale,
  outcomeFigures,
  themeCounts,
  type CountedKind,
  type OutcomeDimension,
} from './core';
import { CONTENT_LOCALES } from '../../content/locales/core';

const OUTCOME = 'api::outcome.outcome';
const PROJECT = 'api::project.project';
const TERRITORY = 'api::territory.territory';
const THEME = 'api::theme.theme';
const COUNTED_UIDS: Record<CountedKind, string> = {
  goodPractices: 'api::good-practice.good-practice',
  trainings: 'api::training.training',
  thematicTables: 'api::thematic-table.thematic-table',
  events: 'api::event.event',
  outcomes: OUTCOME,
};

/** GraphQL enum names of the dimensions: indicatorType -> INDICATOR_TYPE. */
const enumName = (dimension: OutcomeDimension) => dimension.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
const DIMENSION_BY_NAME = new Map(OUTCOME_DIMENSIONS.map((d) => [enumName(d), d]));

const find = (uid: string) => `${uid}.find`;

interface Context {
  state: { auth?: unknown };
}

/**
 * Dashboard queries: `outcomeFigures` (outcome values summed by project, territory, indicator
 * type or code, never across units) and `themeCounts` (published records per theme). Both read
 * through the document service, published content only, in one locale, so every document
 * middleware (the draft guard among them) applies as it does to Strapi's own queries.
 */
export function registerAggregates(strapi: Core.Strapi): void {
  const { naming, mappers } = strapi.plugin('graphql').service('utils');
  const model = (uid: string) => strapi.contentType(uid as any);
  const outcome = model(OUTCOME);
  const locales = CONTENT_LOCALES.map((l) => l.code);
  const documents = (uid: string) => strapi.documents(uid as any);

  const localeOf = (asked: unknown) => {
    const decision = figuresLocale(asked, locales);
    if ('problem' in decision) throw new errors.ValidationError(decision.problem);
    return decision.locale;
  };

  async function resolveOutcomeFigures(
    _parent: unknown,
    args: { locale?: string | null; groupBy?: string[] | null; filters?: Record<string, unknown> | null },
    context: Context,
  ) {
    const locale = localeOf(args.locale);
    // The same checks Strapi's own outcome queries make on filters (validity, permissions).
    const query = { filters: args.filters ? mappers.graphQLFiltersToStrapiQuery(args.filters, outcome) : undefined };
    await strapi.contentAPI.validate.query(query, outcome, { auth: context.state.auth as any });
    const { filters } = await strapi.contentAPI.sanitize.query(query, outcome, { auth: context.state.auth as any });
    const loaded = await documents(OUTCOME).findMany({
      status: 'published',
      locale,
      filters,
      populate: { project: true, territory: true },
    } as any);
    return outcomeFigures(
      loaded as any[],
      (args.groupBy ?? []).map((name) => DIMENSION_BY_NAME.get(name)!),
    );
  }

  // Counted in the database, one count per theme and kind: the records themselves are never loaded.
  async function resolveThemeCounts(_parent: unknown, args: { locale?: string | null }) {
    const locale = localeOf(args.locale);
    const published = { status: 'published', locale } as const;
    const themes = (await documents(THEME).findMany(published as any)) as any[];
    const counted = Object.fromEntries(COUNTED_KINDS.map((kind) => [kind, {} as Record<string, number>])) as Record<
      CountedKind,
      Record<string, number>
    >;
    // One after another: a dashboard query must not take the whole connection pool.
    for (const kind of COUNTED_KINDS) {
      for (const theme of themes) {
        const filters = { themes: { documentId: theme.documentId } };
        counted[kind][theme.documentId] = await documents(COUNTED_UIDS[kind]).count({ ...published, filters } as any);
      }
    }
    return themeCounts(themes, counted);
  }

  strapi
    .plugin('graphql')
    .service('extension')
    .use(({ nexus }: { nexus: any }) => ({
      types: [
        nexus.enumType({
          name: 'OutcomeDimension',
          description: 'What outcome figures are grouped by (the unit always is: values of different units are never added up).',
          members: OUTCOME_DIMENSIONS.map(enumName),
        }),
        nexus.objectType({
          name: 'OutcomeFigure',
          description: 'The outcomes of one group and the sum of their values. Dimensions not grouped by are null.',
          definition(t: any) {
            t.field('project', { type: naming.getTypeName(model(PROJECT)) });
            t.field('territory', { type: naming.getTypeName(model(TERRITORY)) });
            t.field('indicatorType', { type: naming.getEnumName(outcome, 'indicatorType') });
            t.string('indicatorCode');
            t.string('unit', { description: 'The unit of every value summed here, in the locale asked.' });
            t.nonNull.float('total', { description: 'The sum of the values of the outcomes.' });
            t.nonNull.int('count', { description: 'How many outcomes were summed.' });
            t.nonNull.field('qualifier', {
              type: naming.getEnumName(outcome, 'qualifier'),
              description: 'exact when every value is exact; approx when any is approx; otherwise at_least.',
            });
            t.nonNull.list.nonNull.field('outcomes', { type: naming.getTypeName(outcome) });
          },
        }),
        nexus.objectType({
          name: 'ThemeCount',
          description: 'How many published records of each kind carry a theme, in one locale.',
          definition(t: any) {
            t.nonNull.field('theme', { type: naming.getTypeName(model(THEME)) });
            for (const kind of COUNTED_KINDS) t.nonNull.int(kind);
            t.nonNull.int('total');
          },
        }),
        nexus.extendType({
          type: 'Query',
          definition(t: any) {
            t.nonNull.list.nonNull.field('outcomeFigures', {
              type: 'OutcomeFigure',
              description:
                'Published outcomes grouped by the given dimensions and by unit, with their values summed. Sorted by the dimensions in the order given (projects and territories by slug), then by unit.',
              args: {
                locale: nexus.arg({ type: 'I18NLocaleCode', description: 'One locale (default: the default locale, it).' }),
                groupBy: nexus.list(nexus.nonNull('OutcomeDimension')),
                filters: nexus.arg({ type: naming.getFiltersInputTypeName(outcome) }),
              },
              resolve: resolveOutcomeFigures,
            });
            t.nonNull.list.nonNull.field('themeCounts', {
              type: 'ThemeCount',
              description: 'Every published theme with the number of published records carrying it, most used first, then by slug.',
              args: { locale: nexus.arg({ type: 'I18NLocaleCode', description: 'One locale (default: the default locale, it).' }) },
              resolve: resolveThemeCounts,
            });
          },
        }),
      ],
      resolversConfig: {
        // Readable by whoever may read what the figures are made of (the public role may).
        'Query.outcomeFigures': { auth: { scope: [OUTCOME, PROJECT, TERRITORY].map(find) } },
        'Query.themeCounts': { auth: { scope: [THEME, ...Object.values(COUNTED_UIDS)].map(find) } },
      },
    }));
  useFieldMiddleware(strapi, ['Query.outcomeFigures'], territoryWithinMiddleware(strapi));
}
