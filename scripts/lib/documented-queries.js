// The GraphQL examples of a Markdown document: every ```graphql block, with the variables of a
// ```json block that follows it directly. Shared by the documentation test and the cost test.
function documentedQueries(markdown) {
  return [...markdown.matchAll(/```graphql\n([\s\S]*?)```(?:\s*```json\n([\s\S]*?)```)?/g)].map(([, query, variables]) => ({
    query,
    ...(variables ? { variables: JSON.parse(variables) } : {}),
  }));
}

module.exports = { documentedQueries };
