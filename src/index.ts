import type { Core } from '@strapi/strapi';
import { applyFieldGuide } from './admin-fields';
import { ensureEditorialRoles, registerPublishedDeletionGuard } from './admin-roles';
import { registerAggregates } from './aggregates';
import { registerRelationBatching } from './batched-relations';
import { registerConsentGate } from './consent';
import { registerCurationGate } from './curation';
import { registerEditConflictGuard } from './edit-conflicts';
import { ensureFirstAdmin } from './first-admin';
import { registerGraphqlIdeAssets } from './graphql-ide';
import { registerDatabaseOutageHandling, registerGracefulShutdown, registerReadiness, surviveDatabaseOutages } from './health';
import { registerJsonLdField } from './json-ld';
import { ensureContentLocales } from './locales';
import { registerOpenData } from './open-data';
import { registerDraftPreview } from './preview';
import { grantPublicRead, registerDraftGuard } from './public-access';
import { registerQueryParamsCheck } from './query-params';
import { registerReadSnapshot } from './read-snapshot';
import { PUBLIC_TYPES } from './public-access/core';
import { registerRequiredFieldsInAdmin } from './required-fields';
import { invalidateResponseCache, registerResponseCache } from './response-cache';
import { ensureSearchIndex, registerSearchIndexing } from './search';
import { registerSearchQuery } from './search/graphql';
import { isKnowledgeBaseEmpty, seedKnowledgeBase } from './seed';
import { registerSharedSlug } from './shared-slug';
import { closeSharedRedis, connectSharedRedis } from './shared-state';
import { acquireStartupLock } from './startup-lock';
import { registerTerritoryFilter } from './territory-filter';
import { registerDateRangeValidation } from './validation';

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
