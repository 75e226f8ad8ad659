/**
 * The `search` query of the public GraphQL API.
 */
import type { Core } from '@strapi/strapi';
import { GraphQLError } from 'graphql';
import { SEARCH_TYPES, SEARCH_TYPE_NAMES, SearchInputError, searchPage } from './core';
import { exactTotalUpTo, searchKnowledgeBase } from './index';
import type { SearchArgs } from './answer';
import { readPlainly } from '../direct-reads';

export function registerSearchQuery(strapi: Core.Strapi): void {
  exactTotalUpTo(strapi); // a bad setting stops the start
  const search = async (args: any) => {
    try {
      return await searchKnowledgeBase(strapi, { ...args, page: searchPage(args.pagination) } as Omit<SearchArgs, 'exactTotalUpTo'>);
    } catch (error) {
      if (error instanceof SearchInputError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
      throw error;
    }
  };
  // Its hits are plain values: anonymous searches are answered without Strapi's per-field wrappers.
  readPlainly(strapi, 'search', search);
  strapi
    .plugin('graphql')
    .service('extension')
    .use(({ nexus }: any) => ({
      types: [
        nexus.enumType({
          name: 'SearchType',
          description: 'The kinds of record that `search` finds.',
          // Enum names outside, type names inside: resolvers see 'good-practice'.
          members: Object.fromEntries(SEARCH_TYPE_NAMES.map((type) => [SEARCH_TYPES[type].graphql, type])),
        }),
        nexus.inputObjectType({
          name: 'SearchFiltersInput',
          description: 'Every filter given must hold; within one filter, any of the values listed.',
          definition(t: any) {
            t.list.nonNull.string('themes', { description: 'Theme slugs.' });
            t.list.nonNull.string('territories', {
              description: 'Territory slugs; a territory includes every territory inside it (a region its provinces and municipalities).',
            });
            t.list.nonNull.field('targetGroups', {
              type: 'ENUM_COMPONENTSHAREDTARGETGROUP_GROUP',
              description: 'Good practices for these target groups.',
            });
            t.list.nonNull.field('implementationStatus', {
              type: 'ENUM_GOODPRACTICE_IMPLEMENTATIONSTATUS',
              description: 'Good practices in this state.',
            });
            t.field('from', {
              type: 'Date',
              description: 'Records dated on or after this day (their end, or start when they have no end).',
            });
            t.field('to', { type: 'Date', description: 'Records starting on or before this day.' });
          },
        }),
        nexus.objectType({
          name: 'SearchHit',
          definition(t: any) {
            t.nonNull.field('type', { type: 'SearchType' });
            t.nonNull.id('documentId');
            t.nonNull.string('slug');
            t.nonNull.string('title');
            t.nonNull.string('locale');
            t.field('startDate', { type: 'Date' });
            t.field('endDate', { type: 'Date' });
            t.nonNull.string('snippet', {
              description: 'The best matching passage, HTML-escaped, with the matching words in <mark> elements: safe to insert as HTML.',
            });
            t.nonNull.float('score', {
              description:
                'Higher is better: 1 or more when the title matches, then relevance in [0, 1); 0 when the record matches only by tolerating a typo.',
            });
          },
        }),
        nexus.objectType({
          name: 'SearchResult',
          definition(t: any) {
            t.nonNull.list.nonNull.field('items', { type: 'SearchHit' });
            t.nonNull.int('total', {
              description:
                'Matching records in all pages, counted up to a bound (1,000 unless the server sets another): when more match, the bound, and `totalExact` is false.',
            });
            t.nonNull.boolean('totalExact', {
              description:
                'False when more records match than `total` says: counting every match of a common word would slow every search.',
            });
            t.nonNull.int('offset');
            t.nonNull.int('limit');
          },
        }),
        nexus.extendType({
          type: 'Query',
          definition(t: any) {
            t.nonNull.field('search', {
              type: 'SearchResult',
              description:
                'Full-text search over published good practices, trainings, thematic tables, outcomes, events, projects, organisations, people, territories and themes (records are also found by the names of their speakers, trainers, organisations, themes and places), with Italian and English stemming and one typo tolerated in words of five letters or more; title matches first, typo-only matches last.',
              args: {
                query: nexus.nonNull(nexus.stringArg()),
                locale: nexus.arg({ type: 'I18NLocaleCode' }),
                types: nexus.list(nexus.nonNull(nexus.arg({ type: 'SearchType' }))),
                filters: nexus.arg({ type: 'SearchFiltersInput' }),
                pagination: nexus.arg({ type: 'PaginationArg', default: {} }),
              },
              resolve: (_parent: unknown, args: any) => search(args),
            });
          },
        }),
      ],
      resolversConfig: { 'Query.search': { auth: false } },
    }));
}
