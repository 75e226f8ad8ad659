// Partner queries that more than one suite sends: one source for each.

/** One good practice by slug with every relation, as a partner's record page asks for it. */
const BY_SLUG = `query($slug: String!) { goodPractices(locale: "it", filters: { slug: { eq: $slug } }) {
  documentId title slug summary context objectives activities results lessonsLearned transferability resourcesNeeded
  implementationStatus startDate endDate license targetGroups { group } source { title url publisher date note }
  project { acronym title funding { fund } } themes { slug name } territories { slug name nutsCode parent { slug name } }
  leadOrganization { slug name type territory { name } } partnerOrganizations { slug name } trainings { slug title }
  thematicTables { slug title } outcomes { slug title value unit } attachments { name url } } }`;

module.exports = { BY_SLUG };
