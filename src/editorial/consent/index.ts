import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { CONSENT_REQUIRED } from './core';

const PERSON = 'api::person.person';

/**
 * Consent is the gate to publication: a person without `consentToPublish` is never published,
 * so no public route (GraphQL, REST, relations, dumps) can ever return them. Withdrawing
 * consent unpublishes the person at once, in every locale.
 */
export function registerConsentGate(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    if (context.uid !== PERSON) return next();
    const params = context.params as { documentId?: string; status?: string; data?: { consentToPublish?: boolean } };
    const publishing = context.action === 'publish' || (['create', 'update'].includes(context.action) && params.status === 'published');

    if (publishing) {
      const stated = params.data?.consentToPublish;
      const consent = stated !== undefined ? stated : await storedConsent(strapi, params.documentId);
      if (!consent) throw new errors.ValidationError(CONSENT_REQUIRED);
    }

    const result = await next();

    if (context.action === 'update' && params.data?.consentToPublish === false && params.documentId) {
      await strapi.documents(PERSON).unpublish({ documentId: params.documentId, locale: '*' });
    }
    return result;
  });
}

async function storedConsent(strapi: Core.Strapi, documentId?: string): Promise<boolean> {
  if (!documentId) return false;
  // consentToPublish is shared by all locales, so any draft row of the document tells.
  const row = await strapi.db.query(PERSON).findOne({ where: { documentId, publishedAt: null }, select: ['consentToPublish'] });
  return Boolean(row?.consentToPublish);
}
