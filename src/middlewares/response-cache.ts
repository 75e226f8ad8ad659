import type { Core } from '@strapi/strapi';
import { responseCache } from '../edge/response-cache';

/** Anonymous GraphQL reads answered from the response cache (src/edge/response-cache). */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const cache = responseCache(strapi);
  return (ctx: any, next: () => Promise<unknown>) => cache.handle(ctx, next);
};
