import { secret } from '../src/secrets';
import { httpStatusPlugin } from '../src/graphql-errors';
import { paginationLimitPlugin } from '../src/query-limits';

const MAX_LIMIT = 100;

export default ({ env }) => ({
  'users-permissions': {
    config: { jwtSecret: secret(env, 'JWT_SECRET') },
  },
  graphql: {
    config: {
      endpoint: '/graphql',
      shadowCRUD: true,
      defaultLimit: 25,
      maxLimit: MAX_LIMIT,
      // Deep enough for a partner page (event -> agenda -> speakers -> affiliations -> organization -> territory).
      depthLimit: 10,
      // Apollo's default landing page loads its IDE from a CDN; the product works offline.
      landingPage: false,
      apolloServer: {
        introspection: env.bool('GRAPHQL_INTROSPECTION', true),
        plugins: [httpStatusPlugin, paginationLimitPlugin(MAX_LIMIT)],
      },
    },
  },
});
