import { errors } from '@strapi/utils';
import { filterValueProblem, paginationFromQuery, paginationProblem } from '../edge/query-limits/core';
import { publicApi } from '../edge/request-path/core';

/**
 * REST twin of the GraphQL limits (src/edge/query-limits): bad pagination is a 400, not a silent
 * clamp; a filter value over the maximum length is a 400, not a database error.
 */
export default (_config: unknown, { strapi }: { strapi: any }) => {
  const maxLimit = strapi.config.get('api.rest.maxLimit', 100);
  const graphqlEndpoint = strapi.config.get('plugin::graphql.endpoint', '/graphql');
  return async (ctx: any, next: () => Promise<void>) => {
    if (ctx.method === 'GET' && publicApi(ctx.path, graphqlEndpoint) === 'rest') {
      const problem =
        (ctx.query.pagination !== undefined ? paginationProblem(paginationFromQuery(ctx.query.pagination), maxLimit) : null) ??
        (ctx.query.filters !== undefined ? filterValueProblem(ctx.query.filters) : null);
      if (problem) throw new errors.ValidationError(problem);
    }
    await next();
  };
};
