import { secret } from '../src/edge/secrets';
import { httpStatusPlugin } from '../src/public-api/graphql-errors';
import { queryLimitsPlugin } from '../src/edge/query-limits';
import { QUERY_LIMIT_DEFAULTS as LIMITS } from '../src/edge/query-limits/core';
import { graphqlLandingPage } from '../src/public-api/graphql-ide';
import { maskedErrorsPlugin } from '../src/edge/request-id';
import { ALLOWED_MIME_TYPES, DEFAULT_MAX_UPLOAD_BYTES } from '../src/edge/uploads/core';

const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 25;

export default ({ env }) => ({
  upload: {
    config: {
      // Also enforced while the body is received (strapi::body in config/middlewares.ts).
      sizeLimit: env.int('UPLOAD_MAX_BYTES', DEFAULT_MAX_UPLOAD_BYTES),
      // Strapi's own type gate; src/middlewares/upload-check also compares name, type and content.
      security: { allowedTypes: ALLOWED_MIME_TYPES },
    },
  },
  'users-permissions': {
    config: { jwtSecret: secret(env, 'JWT_SECRET') },
  },
  graphql: {
    config: {
      endpoint: '/graphql',
      shadowCRUD: true,
      defaultLimit: DEFAULT_LIMIT,
      maxLimit: MAX_LIMIT,
      // Deep enough for a partner page (event -> agenda -> speakers -> affiliations -> organization -> territory).
      depthLimit: 10,
      // Apollo's landing pages load from a CDN; ours is GraphiQL served by this server
      // (on by default in development, GRAPHQL_IDE=true turns it on in production).
      landingPage: graphqlLandingPage(env.bool('GRAPHQL_IDE', env('NODE_ENV') !== 'production'), '/graphql'),
      apolloServer: {
        // The public schema is partner documentation: introspection stays on unless switched off.
        introspection: env.bool('GRAPHQL_INTROSPECTION', true),
        // "Did you mean …?" hints map the schema for a prober; off in production.
        hideSchemaDetailsFromClientErrors: !env.bool('GRAPHQL_SUGGESTIONS', env('NODE_ENV') !== 'production'),
        // One operation per request: a JSON array of operations is refused (Apollo's default, stated).
        allowBatchedHttpRequests: false,
        // GET serves reads only and GraphQL authenticates by header, never by cookie: there is no
        // cross-site request to forge, and partners (and CDNs) can GET a query with no extra header.
        csrfPrevention: false,
        // Bounds the parser's work on huge documents before anything else looks at them.
        parseOptions: { maxTokens: env.int('GRAPHQL_MAX_TOKENS', LIMITS.maxTokens) },
        // Request body limit of the GraphQL route.
        bodyParserConfig: { jsonLimit: env('GRAPHQL_MAX_BODY', '64kb'), formLimit: '64kb', textLimit: '64kb' },
        // CORS is strapi::cors's job for every route (config/middlewares.ts, src/edge/cors).
        cors: false,
        plugins: [
          httpStatusPlugin,
          maskedErrorsPlugin(env('NODE_ENV') === 'production'),
          queryLimitsPlugin({
            maxLimit: MAX_LIMIT,
            defaultLimit: DEFAULT_LIMIT,
            maxCost: env.int('GRAPHQL_MAX_COST', LIMITS.maxCost),
            maxAliases: env.int('GRAPHQL_MAX_ALIASES', LIMITS.maxAliases),
            maxDirectives: env.int('GRAPHQL_MAX_DIRECTIVES', LIMITS.maxDirectives),
            timeoutMs: env.int('GRAPHQL_TIMEOUT_MS', LIMITS.timeoutMs),
          }),
        ],
      },
    },
  },
});
