import { errors } from '@strapi/utils';
import { paginationFromQuery, paginationProblem } from '../edge/query-limits/core';

/** REST twin of the GraphQL pagination check: bad pagination is a 400, not a silent clamp. */
export default (_config: unknown, { strapi }: { strapi: any }) => {
  const maxLimit = strapi.config.get('api.rest.maxLimit', 100);
  return async (ctx: any, next: () => Promise<void>) => {
    if (ctx.method === 'GET' && ctx.path.startsWith('/api/') && ctx.query.pagination !== undefined) {
      const problem = paginationProblem(paginationFromQuery(ctx.query.pagination), maxLimit);
      if (problem) throw new errors.ValidationError(problem);
    }
    await next();
  };
};
