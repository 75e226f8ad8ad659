import type { Core } from '@strapi/strapi';
import { directRequests } from '../public-api/direct-reads/requests';

/** Anonymous GraphQL requests that direct reads answer, answered before the router (src/public-api/direct-reads/requests.ts). */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => directRequests(strapi);
