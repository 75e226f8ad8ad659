import type { Core } from '@strapi/strapi';
import { PUBLIC_TYPES } from './content/model/core';
import { registerFieldLabels } from './content/labels';
import { ensureContentLocales } from './content/locales';
import { registerLookupIndexes } from './content/lookup-indexes';
import { acquireStartupLock } from './edge/startup-lock';
import { closeSharedRedis, connectSharedRedis, instanceState } from './edge/shared-state';
import { invalidateResponseCache, registerResponseCache } from './edge/response-cache';
import { registerDatabaseOutageHandling, registerGracefulShutdown, registerReadiness, surviveDatabaseOutages } from './edge/health';
import { registerQueryParamsCheck } from './edge/query-params';
import { registerSecurityHeaders } from './edge/security-headers';
import { applyFieldGuide, hideUnusedTypes } from './editorial/field-guide';
import { ensureEditorialRoles, registerPublishedDeletionGuard } from './editorial/roles';
import { ensureFirstAdmin } from './editorial/first-admin';
import { registerConsentGate } from './editorial/consent';
import { registerCurationGate } from './editorial/curation';
import { registerDateRangeValidation } from './editorial/validation';
import { registerDraftPreview } from './editorial/preview';
import { registerEditConflictGuard } from './editorial/edit-conflicts';
import { registerRequiredFieldsInAdmin } from './editorial/required-fields';
import { registerSharedSlug } from './editorial/shared-slug';
import { ensureSearchIndex, holdSearchIndex, registerSearchIndexing, stopSearchThread } from './public-api/search';
import {
  grantPublicRead,
  registerAnonymousGraphqlAllowList,
  registerAnonymousReadCheck,
  registerDraftGuard,
} from './public-api/public-access';
import { registerPublicRole } from './public-api/public-access/public-role';
import { registerAggregates } from './public-api/aggregates';
import { registerGraphqlIdeAssets } from './public-api/graphql-ide';
import { registerJsonLdField } from './public-api/json-ld';
import { registerReadSnapshot } from './public-api/read-snapshot';
import { registerRelationBatching } from './public-api/batched-relations';
import { registerDirectReads } from './public-api/direct-reads';
import { startReadThreads, stopReadThreads } from './public-api/read-threads';
import { registerSearchQuery } from './public-api/search/graphql';
import { reconcileChangeFeed, registerChangeFeed, registerChangeFeedRoute } from './public-api/change-feed';
import { registerChangesQuery } from './public-api/change-feed/graphql';
import { registerWebhooks, startWebhookDispatcher, stopWebhookDispatcher } from './public-api/webhooks';
import { registerTerritoryFilter } from './public-api/territory-filter';
import { isKnowledgeBaseEmpty, seedKnowledgeBase } from './publishing/seed';
import { registerOpenData } from './publishing/open-data';
import { registerSitePages } from './publishing/site';
import { registerFeeds } from './publishing/feeds';

const startupLock = instanceState<() => Promise<void>>('startup-lock');

export default {
  async register({ strapi }: { strapi: Core.Strapi }) {
    // Document Service middlewares run in the order they are added, the first added outermost;
    // GraphQL extensions are read when the schema is built, after all of them.

    // Edge. The startup lock is held until the end of bootstrap, so that schema sync and seed never
    // run on two nodes at once; the response cache comes first so that it wraps every other middleware.
    startupLock.set(strapi, await acquireStartupLock(strapi));
    await connectSharedRedis(strapi);
    registerResponseCache(strapi);
    registerSecurityHeaders(strapi);

    // Content model: indexes declared on the content types here, in register, are in the database
    // models Strapi builds from them when it starts (after register), so its schema sync keeps them.
    registerLookupIndexes(strapi);

    // Reads, checked before anything else runs for them: what an anonymous caller may read (public
    // API; the public role's permissions are the allow-list's, read once per node), whether Strapi can run the query (edge), then, on PostgreSQL, one database snapshot for
    // every statement of the read (public API), around all the middlewares below.
    registerDraftGuard(strapi);
    registerPublicRole(strapi);
    registerQueryParamsCheck(strapi);
    registerAnonymousReadCheck(strapi);
    registerReadSnapshot(strapi);

    // Editorial rules on writes. The shared slug fills in a new language's slug before the admin's
    // required-field check looks for one.
    registerConsentGate(strapi);
    registerDateRangeValidation(strapi);
    registerEditConflictGuard(strapi);
    registerSharedSlug(strapi);
    registerRequiredFieldsInAdmin(strapi);
    registerCurationGate(strapi);
    registerPublishedDeletionGuard(strapi);
    hideUnusedTypes(strapi);

    // Public API, the GraphQL fields, the change feed and the search index: both are written
    // innermost, so only a write that every rule above let through reaches them (in the write's own
    // transaction); the feed around the index, so that it takes its lock last.
    registerRelationBatching(strapi);
    // Anonymous reads of public records the plan covers skip the per-field resolvers altogether.
    registerDirectReads(strapi);
    registerTerritoryFilter(strapi);
    // After the territory filter: it checks relation filters with `within` already expanded.
    registerAnonymousGraphqlAllowList(strapi);
    registerAggregates(strapi);
    registerJsonLdField(strapi);
    registerChangeFeed(strapi);
    registerChangesQuery(strapi);
    // Webhooks listen to the feed: each entry it appends queues its messages in the same transaction.
    registerWebhooks(strapi);
    registerSearchIndexing(strapi);
    registerSearchQuery(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    try {
      // Edge first: from here on a database outage is a 503, not a crash.
      registerDatabaseOutageHandling(strapi);
      surviveDatabaseOutages(strapi);
      registerReadiness(strapi);
      registerGracefulShutdown(strapi);

      // Routes of the content model, public API, editorial and publishing: independent of each other.
      registerFieldLabels(strapi);
      registerGraphqlIdeAssets(strapi);
      registerDraftPreview(strapi);
      registerOpenData(strapi);
      registerSitePages(strapi);
      registerFeeds(strapi);
      registerChangeFeedRoute(strapi);

      // Content, then who may read and edit it: idempotent, each on its own.
      await ensureContentLocales(strapi);
      await grantPublicRead(strapi);
      await ensureFirstAdmin(strapi);
      await ensureEditorialRoles(strapi);
      await applyFieldGuide(strapi);

      // Publishing, then what is derived from the content: the seed in the locales made above, the
      // search index and the change feed over what is there, and no answer kept by a previous
      // version of the app.
      if (process.env.SEED_ON_EMPTY !== 'false' && (await isKnowledgeBaseEmpty(strapi, PUBLIC_TYPES))) {
        await seedKnowledgeBase(strapi);
      }
      await ensureSearchIndex(strapi);
      await holdSearchIndex(strapi);
      await reconcileChangeFeed(strapi);
      await invalidateResponseCache(strapi);
      await startReadThreads(strapi);
      // Last: the node sends webhooks once it is fully started (what reconciling queued included).
      startWebhookDispatcher(strapi);
    } finally {
      await startupLock.get(strapi)?.();
    }
  },

  async destroy({ strapi }: { strapi: Core.Strapi }) {
    // Before Strapi closes the database: deliveries in flight record their outcome.
    await stopWebhookDispatcher(strapi);
    await stopReadThreads(strapi);
    await stopSearchThread(strapi);
    closeSharedRedis();
  },
};
