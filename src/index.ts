import type { Core } from '@strapi/strapi';
import { registerConsentGate } from './consent';
import { registerGraphqlIdeAssets } from './graphql-ide';
import { ensureContentLocales } from './locales';
import { grantPublicRead, registerDraftGuard } from './public-access';
import { PUBLIC_TYPES } from './public-access/core';
import { isKnowledgeBaseEmpty, seedKnowledgeBase } from './seed';
import { registerDateRangeValidation } from './validation';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerDraftGuard(strapi);
    registerConsentGate(strapi);
    registerDateRangeValidation(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    registerGraphqlIdeAssets(strapi);
    await ensureContentLocales(strapi);
    await grantPublicRead(strapi);
    if (process.env.SEED_ON_EMPTY !== 'false' && (await isKnowledgeBaseEmpty(strapi, PUBLIC_TYPES))) {
      await seedKnowledgeBase(strapi);
    }
  },
};
