/**
 * JSON-LD processing with schema.org's context bundled, so that nothing is ever fetched from
 * the network: the document loader serves schema.org's context and refuses every other URL.
 *
 * schemaorg-context.json is schema.org's own JSON-LD context (https://schema.org/docs/jsonldcontext.jsonld,
 * CC BY-SA 3.0), copied unchanged from the npm package @fedify/vocab-runtime 2.3.6, file
 * src/contexts/schemaorg.json (sha256 8a88aa7ab88434629dc95a0f716cd6557c50f04e9d8bfaa45147dfea54516673).
 * That package needs Node 22 and brings a federation runtime, so the file is vendored rather
 * than the package installed. To update: `npm pack @fedify/vocab-runtime@<version>` and copy it.
 */
import jsonld, { type Options } from 'jsonld';
import schemaOrgContext from './schemaorg-context.json';

export const SCHEMA_ORG_CONTEXT = schemaOrgContext['@context'] as Record<string, unknown>;

const SCHEMA_ORG_URLS = new Set(
  ['http', 'https'].flatMap((scheme) =>
    ['schema.org', 'schema.org/', 'schema.org/docs/jsonldcontext.json', 'schema.org/docs/jsonldcontext.jsonld'].map(
      (path) => `${scheme}://${path}`,
    ),
  ),
);

export async function documentLoader(url: string) {
  if (!SCHEMA_ORG_URLS.has(url)) throw new Error(`JSON-LD document ${url} is not bundled, and nothing is loaded from the network.`);
  return { contextUrl: undefined, documentUrl: url, document: schemaOrgContext };
}

/**
 * Expands a document with the bundled context, in jsonld's safe mode: anything that would
 * be dropped silently (a relative IRI, an invalid value) is an error instead.
 */
export function expandJsonLd(document: object) {
  const options: Options.Expand & { safe: boolean } = { documentLoader, safe: true };
  return jsonld.expand(document as any, options);
}
