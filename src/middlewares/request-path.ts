import { isGraphqlPath } from '../edge/request-path/core';

/**
 * Every spelling of the GraphQL endpoint (`/GRAPHQL`, `/graphql/`, `/graphql?x` for a POST) is
 * given the endpoint's own URL before anything else looks at it. Strapi's body parser skips the
 * GraphQL route only when the URL is exactly the endpoint: any other spelling was parsed with its
 * 1 MB limit instead of the GraphQL route's 64 kB (or parsed twice, a 500). Only GET carries the
 * operation in the query string; Apollo reads every other method's from the body.
 */
export default (_config: unknown, { strapi }: { strapi: any }) => {
  const endpoint = strapi.config.get('plugin::graphql.endpoint', '/graphql');
  return (ctx: any, next: () => Promise<unknown>) => {
    if (isGraphqlPath(ctx.path, endpoint)) {
      const keepQuery = (ctx.method === 'GET' || ctx.method === 'HEAD') && ctx.querystring;
      const url = keepQuery ? `${endpoint}?${ctx.querystring}` : endpoint;
      if (ctx.url !== url) ctx.url = url;
    }
    return next();
  };
};
