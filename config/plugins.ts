import { secret } from '../src/secrets';
import { httpStatusPlugin } from '../src/graphql-errors';
import { paginationLimitPlugin } from '../src/query-limits';
import { graphqlLandingPage } from '../src/graphql-ide';

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
      // Apollo's landing pages load from a CDN; ours is GraphiQL served by this server
      // (on by default in development, GRAPHQL_IDE=true turns it on in production).
      landingPage: graphqlLandingPage(env.bool('GRAPHQL_IDE', env('NODE_ENV') !== 'production'), '/graphql'),
      apolloServer: {
        introspection: env.bool('GRAPHQL_INTROSPECTION', true),
        plugins: [httpStatusPlugin, paginationLimitPlugin(MAX_LIMIT)],
      },
    },
  },
});
