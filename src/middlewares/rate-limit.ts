import { apiTokenIds, rateLimitStore, rateLimitsFromEnv } from '../edge/rate-limit';
import { isGraphqlPath } from '../edge/request-path/core';
import { bearerToken, decide, isRateLimitedPath, rateLimitedBody, rateLimitedMessage, type Decision } from '../edge/rate-limit/core';

/**
 * Rate limiting of the public API (src/edge/rate-limit): per client address, or per API token with a
 * higher limit. Runs before the response cache: a cached answer is cheap but still counts.
 */
export default (_config: unknown, { strapi }: { strapi: any }) => {
  const limits = rateLimitsFromEnv(process.env);
  const graphqlEndpoint = strapi.config.get('plugin::graphql.endpoint', '/graphql');
  const count = rateLimitStore(strapi, limits.windowMs);
  const tokens = apiTokenIds(strapi);
  const counted = async (identity: string, limit: number) => (limit > 0 ? decide(await count(identity), limit, Date.now()) : null);

  const refuse = (ctx: any, decision: Decision, withToken: boolean) => {
    ctx.status = 429;
    ctx.set('Retry-After', String(decision.resetSeconds));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = rateLimitedBody(isGraphqlPath(ctx.path, graphqlEndpoint), rateLimitedMessage(decision, withToken), decision.resetSeconds);
  };

  return async (ctx: any, next: () => Promise<void>) => {
    if (ctx.method === 'OPTIONS' || !isRateLimitedPath(ctx.path, graphqlEndpoint)) return next();
    const byAddress = () => counted(`ip:${ctx.request.ip}`, limits.anonymous);
    const token = bearerToken(ctx.get('authorization'));
    let id = token ? tokens.cached(token) : null;
    if (id === undefined) {
      // A bearer not seen lately costs a database lookup: an address gets no more lookups
      // per window than anonymous requests, so made-up tokens cannot flood the database.
      const lookups = await counted(`lookup:${ctx.request.ip}`, limits.anonymous);
      id = lookups && !lookups.allowed ? null : await tokens.lookup(token!).catch(() => null);
    }
    const decision = id !== null ? await counted(`token:${id}`, limits.token) : await byAddress();
    if (!decision) return next();
    ctx.set('RateLimit-Limit', String(decision.limit));
    ctx.set('RateLimit-Remaining', String(decision.remaining));
    ctx.set('RateLimit-Reset', String(decision.resetSeconds));
    if (!decision.allowed) return refuse(ctx, decision, id !== null);
    await next();
  };
};
