/**
 * The `changes` query of the public GraphQL API (the change feed, ./index).
 */
import type { Core } from '@strapi/strapi';
import { GraphQLError } from 'graphql';
import { CHANGE_ACTIONS, ChangeFeedInputError, CursorExpiredError, DEFAULT_PAGE, FEED_TYPE_NAMES, MAX_PAGE } from './core';
import { readChanges } from './index';

export function registerChangesQuery(strapi: Core.Strapi): void {
  strapi
    .plugin('graphql')
    .service('extension')
    .use(({ nexus }: any) => ({
      types: [
        nexus.enumType({ name: 'ChangeType', description: 'The kinds of record the change feed reports.', members: FEED_TYPE_NAMES }),
        nexus.enumType({
          name: 'ChangeAction',
          description:
            'PUBLISHED: the record (in this locale) appeared in the public API; UPDATED: it changed, or a record it shows through a relation did; UNPUBLISHED: it left the public API; DELETED: it no longer exists.',
          members: [...CHANGE_ACTIONS],
        }),
        nexus.objectType({
          name: 'Change',
          definition(t: any) {
            t.nonNull.string('cursor', { description: 'Where this change is in the feed: pass it as `since` to read what follows.' });
            t.nonNull.field('type', { type: 'ChangeType' });
            t.nonNull.id('documentId');
            t.nonNull.string('slug', { description: 'The slug it has (for a tombstone: the slug it had).' });
            t.nonNull.string('locale');
            t.nonNull.field('action', { type: 'ChangeAction' });
            t.nonNull.field('at', { type: 'DateTime', description: 'When the change was recorded (for display: order by cursor).' });
          },
        }),
        nexus.objectType({
          name: 'ChangePage',
          definition(t: any) {
            t.nonNull.list.nonNull.field('items', { type: 'Change' });
            t.nonNull.string('nextCursor', { description: 'Pass it as `since` next time; the same cursor when there was nothing new.' });
            t.nonNull.boolean('hasMore', { description: 'More changes follow at once: ask again with nextCursor.' });
          },
        }),
        nexus.extendType({
          type: 'Query',
          definition(t: any) {
            t.nonNull.field('changes', {
              type: 'ChangePage',
              description:
                'What changed in the published knowledge base after a cursor, oldest first, with tombstones for what was unpublished or deleted. Without `since`: everything published now. See the partner guide, "Keeping a copy in sync".',
              args: {
                since: nexus.stringArg({ description: 'A cursor the feed returned; leave it out to start from the beginning.' }),
                types: nexus.list(nexus.nonNull(nexus.arg({ type: 'ChangeType' }))),
                locale: nexus.arg({ type: 'I18NLocaleCode' }),
                first: nexus.intArg({ default: DEFAULT_PAGE, description: `Changes per page, 1 to ${MAX_PAGE}.` }),
              },
              async resolve(_parent: unknown, args: any) {
                try {
                  return await readChanges(strapi, args);
                } catch (error) {
                  if (error instanceof CursorExpiredError)
                    throw new GraphQLError(error.message, { extensions: { code: 'CURSOR_EXPIRED', http: { status: 410 } } });
                  if (error instanceof ChangeFeedInputError)
                    throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
                  throw error;
                }
              },
            });
          },
        }),
      ],
      resolversConfig: { 'Query.changes': { auth: false } },
    }));
}
