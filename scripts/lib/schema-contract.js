// The public GraphQL schema is a contract with partner sites: schema.graphql is committed, and
// a change to it must be deliberate. Pure functions over introspection results and SDL.
const {
  buildClientSchema,
  buildSchema,
  findBreakingChanges,
  getIntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
} = require('graphql');

const INTROSPECTION_QUERY = getIntrospectionQuery({ descriptions: true });

/** The SDL we commit: sorted, so that unrelated reorderings never show up as a change. */
const contractFromIntrospection = (introspection) => `${printSchema(lexicographicSortSchema(buildClientSchema(introspection)))}\n`;

/** What changed between the committed contract and the live schema. */
function compareContract(committedSdl, liveSdl) {
  const breaking = findBreakingChanges(buildSchema(committedSdl), buildSchema(liveSdl)).map((c) => `${c.type}: ${c.description}`);
  return { breaking, changed: committedSdl !== liveSdl };
}

module.exports = { INTROSPECTION_QUERY, contractFromIntrospection, compareContract };
