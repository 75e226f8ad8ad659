import { clientIp, parseTrustedProxies } from '../edge/rate-limit/client-ip';

/**
 * Sets the request's client address (ctx.request.ip) from X-Forwarded-For as far as
 * TRUSTED_PROXIES allows, for everything after it: the logger, the rate limiter and Strapi's
 * admin-login limiter. Koa alone can only trust a number of hops, not a list of proxies.
 */
export default (_config: unknown, { strapi }: { strapi: any }) => {
  const trust = parseTrustedProxies(strapi.config.get('server.trustedProxies'));
  return async (ctx: any, next: () => Promise<void>) => {
    if (trust) ctx.request.ip = clientIp(ctx.req.socket.remoteAddress ?? '', ctx.get('x-forwarded-for') || undefined, trust);
    await next();
  };
};
