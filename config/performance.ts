/**
 * Speed switches. Both default on; the benchmark turns them off to measure what they bring
 * (scenario e: stock GraphQL on the same data).
 */
export default ({ env }) => ({
  // Relations, media and components of GraphQL lists loaded with the page (src/batched-relations).
  batchRelations: env.bool('GRAPHQL_BATCH_RELATIONS', true),
});
