import type { Core } from '@strapi/strapi';
import { graphqlRefusals } from '../public-api/graphql-errors';

/** Strapi's own refusals on the GraphQL endpoint in GraphQL's shape (src/public-api/graphql-errors). */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) =>
  graphqlRefusals(String(strapi.config.get('plugin::graphql.endpoint', '/graphql')));
