/**
 * Lists the latest good practices of the Com.In.4.0 knowledge base, as a partner's program would:
 * one anonymous GraphQL query, typed from the published schema.
 *
 *   KB_URL=https://kb.example.org KB_LOCALE=en KB_LIMIT=5 node dist/latest-practices.js
 */
import { graphql } from './gql';
import type { TypedDocumentString } from './gql/graphql';

const LatestPractices = graphql(`
  query LatestPractices($locale: I18NLocaleCode, $limit: Int) {
    goodPractices(locale: $locale, sort: "publishedAt:desc", pagination: { pageSize: $limit }) {
      slug
      title
      implementationStatus
      themes {
        name
      }
      territories {
        name
        nutsCode
      }
    }
  }
`);

/** POSTs a typed operation; GraphQL errors (a 4xx with a message) become exceptions. */
async function execute<Result, Variables>(
  endpoint: string,
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const body = (await response.json().catch(() => ({}))) as { data?: Result; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((error) => error.message).join('; '));
  if (!response.ok || !body.data) throw new Error(`HTTP ${response.status} from ${endpoint}`);
  return body.data;
}

async function main(): Promise<void> {
  const base = (process.env.KB_URL ?? 'http://localhost:1337').replace(/\/$/, '');
  const locale = process.env.KB_LOCALE ?? 'en';
  const limit = Number(process.env.KB_LIMIT ?? 5);
  const { goodPractices } = await execute(`${base}/graphql`, LatestPractices, { locale, limit });
  for (const practice of goodPractices) {
    // The schema allows null entries in lists; the API leaves out what an anonymous caller may not see.
    if (!practice) continue;
    const where = practice.territories
      .flatMap((territory) => (territory ? [`${territory.name} (${territory.nutsCode ?? '-'})`] : []))
      .join(', ');
    const themes = practice.themes.flatMap((theme) => (theme ? [theme.name] : [])).join('; ');
    console.log(`${practice.title} [${practice.implementationStatus}]`);
    if (where) console.log(`  where: ${where}`);
    if (themes) console.log(`  themes: ${themes}`);
    console.log(`  ${base}/?lang=${locale}#/good-practices/${practice.slug}`);
  }
}

main().catch((error: Error) => {
  console.error(`latest-practices: ${error.message}`);
  process.exit(1);
});
