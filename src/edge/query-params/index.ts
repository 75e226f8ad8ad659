import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { checkFields, checkFilters, checkNoNul, checkPopulate, QueryProblem } from './core';
import type { Attributes } from '../../content/model/core';
import { READ_ACTIONS } from '../../content/model/core';

const attributesOfModel = (strapi: Core.Strapi) => (uid: string) => {
  try {
    return strapi.db.metadata.get(uid).attributes as unknown as Attributes;
  } catch {
    return undefined;
  }
};

/** Runs the checks, turning what Strapi could not run into a 400. */
function refuseProblems(check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof QueryProblem) throw new errors.ValidationError(error.message);
    throw error;
  }
}

/**
 * Every read through the document service on behalf of a request (REST and GraphQL alike) has
 * its filters and fields checked first (src/edge/query-params/core): what Strapi cannot run is a
 * 400, not a 500.
 */
export function registerQueryParamsCheck(strapi: Core.Strapi): void {
  const attributesOf = attributesOfModel(strapi);
  strapi.documents.use(async (context, next) => {
    if (READ_ACTIONS.has(context.action) && strapi.requestContext.get()) {
      const params = context.params as { documentId?: unknown; filters?: unknown; fields?: unknown; populate?: unknown };
      refuseProblems(() => {
        checkNoNul(params.documentId, ['documentId']);
        checkFilters(params.filters, context.uid, attributesOf);
        checkFields(params.fields, attributesOf(context.uid) ?? {});
        checkPopulate(params.populate, context.uid, attributesOf);
      });
    }
    return next();
  });
}

/**
 * Filters read without the Document Service — a nested GraphQL list (`project { goodPractices(filters: …) }`),
 * which Strapi's own loader runs, and direct reads (src/public-api/direct-reads): checked the same way.
 */
export function checkNestedListFilters(strapi: Core.Strapi, filters: unknown, uid: string): void {
  refuseProblems(() => checkFilters(filters, uid, attributesOfModel(strapi)));
}
