import type { Core } from '@strapi/strapi';
import { applyFieldGuide } from './editorial/field-guide';
import { ensureEditorialRoles, registerPublishedDeletionGuard } from './editorial/roles';
import { registerAggregates } from './public-api/aggregates';
import { registerRelationBatching } from './public-api/batched-relations';
import { registerConsentGate } from './editorial/consent';
import { registerCurationGate } from './editorial/curation';
import { registerEditConflictGuard } from './editorial/edit-conflicts';
import { ensureFirstAdmin } from './editorial/first-admin';
import { registerGraphqlIdeAssets } from './public-api/graphql-ide';
import { registerDatabaseOutageHandling, registerGracefulShutdown, registerReadiness, surviveDatabaseOutages } from './edge/health';
import { registerJsonLdField } from './public-api/json-ld';
import { ensureContentLocales } from './content/locales';
import { registerOpenData } from './publishing/open-data';
import { registerDraftPreview } from './editorial/preview';
import { grantPublicRead, registerAnonymousGraphqlAllowList, registerAnonymousReadCheck, registerDraftGuard } from './public-api/public-access';
import { registerQueryParamsCheck } from './edge/query-params';
import { registerReadSnapshot } from './public-api/read-snapshot';
import { registerRequiredFieldsInAdmin } from './editorial/required-fields';
import { invalidateResponseCache, registerResponseCache } from './edge/response-cache';
import { ensureSearchIndex, registerSearchIndexing } from './public-api/search';
import { registerSearchQuery } from './public-api/search/graphql';
import { isKnowledgeBaseEmpty, seedKnowledgeBase } from './publishing/seed';
import { registerSharedSlug } from './editorial/shared-slug';
import { closeSharedRedis, connectSharedRedis } from './edge/shared-state';
import { acquireStartupLock } from './edge/startup-lock';
import { registerTerritoryFilter } from './public-api/territory-filter';
import { registerDateRangeValidation } from './editorial/validation';
import { PUBLIC_TYPES } from './content/model/core';

let releaseStartupLock: () => Promise<void> = async () => undefined;

export default {
  async register({ strapi }: { strapi: Core.Strapi }) {
    // Held until the end of bootstrap, so that schema sync and seed never run on two nodes at once.
    releaseStartupLock = await acquireStartupLock(strapi);
    await connectSharedRedis(strapi);
    // First: its Document Service middleware wraps every other one.
    registerResponseCache(strapi);
    registerDraftGuard(strapi);
    registerQueryParamsCheck(strapi);
    registerAnonymousReadCheck(strapi);
    registerReadSnapshot(strapi);
    registerConsentGate(strapi);
    registerDateRangeValidation(strapi);
    registerEditConflictGuard(strapi);
    registerSharedSlug(strapi);
    registerRequiredFieldsInAdmin(strapi);
    registerCurationGate(strapi);
    registerPublishedDeletionGuard(strapi);
    registerRelationBatching(strapi);
    registerTerritoryFilter(strapi);
    // After the territory filter: it checks relation filters with `within` already expanded.
    registerAnonymousGraphqlAllowList(strapi);
    registerAggregates(strapi);
    registerJsonLdField(strapi);
    registerSearchIndexing(strapi);
    registerSearchQuery(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    try {
      registerDatabaseOutageHandling(strapi);
      surviveDatabaseOutages(strapi);
      registerReadiness(strapi);
      registerGracefulShutdown(strapi);
      registerGraphqlIdeAssets(strapi);
      registerDraftPreview(strapi);
      registerOpenData(strapi);
      await ensureContentLocales(strapi);
      await grantPublicRead(strapi);
      await ensureFirstAdmin(strapi);
      await ensureEditorialRoles(strapi);
      await applyFieldGuide(strapi);
      if (process.env.SEED_ON_EMPTY !== 'false' && (await isKnowledgeBaseEmpty(strapi, PUBLIC_TYPES))) {
        await seedKnowledgeBase(strapi);
      }
      await ensureSearchIndex(strapi);
      // A new version of the app may answer differently: answers kept in Redis by the previous one go.
      await invalidateResponseCache(strapi);
    } finally {
      await releaseStartupLock();
    }
  },

  destroy() {
    closeSharedRedis();
  },
};
