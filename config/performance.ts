/**
 * Speed switches and sizes. The switches default on; the benchmark turns them off to measure
 * what they bring (scenario e: stock GraphQL on the same data).
 */
export default ({ env }) => ({
  // Relations, media and components of GraphQL lists loaded with the page (src/public-api/batched-relations).
  batchRelations: env.bool('GRAPHQL_BATCH_RELATIONS', true),
  // Anonymous GraphQL reads of public records answered without Strapi's per-field resolvers (src/public-api/direct-reads).
  directReads: env.bool('GRAPHQL_DIRECT_READS', true),
  // Of those, the requests whose query text Apollo has validated answered before Strapi's router and Apollo (src/public-api/direct-reads/requests.ts).
  directRequests: env.bool('GRAPHQL_DIRECT_REQUESTS', true),
  // Of those, the ones on the record's own columns read in one SQL statement (src/public-api/direct-reads/statement.ts).
  oneStatementReads: env.bool('GRAPHQL_ONE_STATEMENT_READS', true),
  // Of those, an operation's text compiled (graphql-jit) once graphql-js has answered it this many times; 0: never (src/public-api/direct-reads/execution.ts).
  compileAfter: env.int('GRAPHQL_COMPILE_AFTER', 1),
  // PostgreSQL statements of direct reads prepared on the server, by name (src/public-api/direct-reads/prepared.ts);
  // false behind a pooler that cannot keep them (PgBouncer in transaction mode before 1.21, or without max_prepared_statements).
  namedStatements: env.bool('DATABASE_NAMED_STATEMENTS', true),
  // On SQLite, anonymous one-statement reads (and a search's texts when searches have no thread) run on this many reader threads, each with
  // its own connection (src/public-api/read-threads); two, so that one read in progress does not hold another behind it; 0: none.
  sqliteReadThreads: env.int('SQLITE_READ_THREADS', 2),
  // Searches answered on a thread of their own, which holds the index with its own connection (src/public-api/search/thread.ts);
  // false: on the node's thread.
  searchThread: env.bool('SEARCH_THREAD', true),
  // A search counts its matches up to this many (more: `total` is this figure and `totalExact` false), src/public-api/search/held-index.ts.
  searchExactTotalUpTo: env.int('SEARCH_EXACT_TOTAL_UP_TO', 1000),
  // The public role's permissions read once per node, not on every anonymous request (src/public-api/public-access/public-role.ts).
  publicRoleOnce: env.bool('PUBLIC_ROLE_READ_ONCE', true),
  // Anonymous GraphQL reads answered from a cache invalidated by every write (src/edge/response-cache).
  responseCache: {
    enabled: env.bool('RESPONSE_CACHE', true),
    // In-process memory for kept answers (least recently used go first).
    maxMegabytes: env.int('RESPONSE_CACHE_MAX_MB', 64),
    // Larger answers are not kept.
    entryMaxKilobytes: env.int('RESPONSE_CACHE_ENTRY_MAX_KB', 1024),
    // How long Redis keeps an answer (invalidation does not wait for it: it is by generation).
    ttlSeconds: env.int('RESPONSE_CACHE_TTL', 600),
    // Cache-Control max-age of GET answers; 0 = browsers and CDNs revalidate each time (304 when unchanged).
    maxAgeSeconds: env.int('RESPONSE_CACHE_MAX_AGE', 0),
    // Longest query text accepted over GET (longer ones: POST or a persisted query).
    maxGetQueryLength: env.int('GRAPHQL_MAX_GET_QUERY', 8192),
  },
});
