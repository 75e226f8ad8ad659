import { STATUS_CODES } from 'http';
import { GRAPHQL_RESPONSE_MEDIA_TYPE, type GraphqlMediaType } from '../../edge/response-cache/core';

/**
 * GraphQL answers 200 even when it refuses. Partners and proxies deserve the HTTP status that
 * matches the refusal, so the response status follows the most telling error code.
 */
const STATUS_BY_CODE: Record<string, number> = {
  BAD_USER_INPUT: 400,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  QUERY_TOO_EXPENSIVE: 400,
  TOO_MANY_ALIASES: 400,
  TOO_MANY_DIRECTIVES: 400,
  QUERY_TIMEOUT: 408,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  STRAPI_NOT_FOUND_ERROR: 404,
  CURSOR_EXPIRED: 410,
};

type GraphqlErrors = readonly { extensions?: { code?: unknown } }[] | undefined;

/** The status for a response carrying these errors, or null to leave Apollo's choice. */
export function httpStatusForErrors(errors: GraphqlErrors): number | null {
  const statuses = (errors ?? []).map((e) => STATUS_BY_CODE[String(e.extensions?.code)]).filter((s): s is number => s !== undefined);
  if (statuses.length === 0) return null;
  // A 403 explains more than a 400 when both occur: the caller may not do this at all.
  return Math.max(...statuses);
}

/**
 * The status of a GraphQL answer in the media type the client negotiated. `application/json`
 * keeps this server's long-standing rule (the code decides, as above). The GraphQL-over-HTTP
 * media type follows its specification: an answer with a `data` entry was served (200, partial
 * or not); one without was refused (4xx/5xx: the code's status, Apollo's if it chose one, else
 * 400). An unknown persisted-query hash is a 404 there: Apollo Client's persisted-query link
 * stops using hashes for good after a 400.
 */
export function graphqlHttpStatus(
  result: { data?: unknown; errors?: GraphqlErrors },
  current: number | undefined,
  type: GraphqlMediaType,
): number | null {
  const byCode = httpStatusForErrors(result.errors);
  if (type !== GRAPHQL_RESPONSE_MEDIA_TYPE) return byCode && (!current || current === 200) ? byCode : null;
  if (result.data !== undefined) return 200;
  if (current && current >= 400) return null;
  if (byCode) return byCode;
  return result.errors?.some((e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND') ? 404 : 400;
}

type Located = { message?: unknown; path?: readonly (string | number)[] };

const comparePaths = (a: readonly (string | number)[] = [], b: readonly (string | number)[] = []): number => {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    if (a[i] === b[i]) continue;
    if (typeof a[i] === 'number' && typeof b[i] === 'number') return (a[i] as number) - (b[i] as number);
    return String(a[i]) < String(b[i]) ? -1 : 1;
  }
  return a.length - b.length;
};

/**
 * The errors in the order of their place in the answer (then their message). GraphQL lists them
 * as resolvers finish, which follows timing: the same query could get its errors in another
 * order, so another entity tag, from one request to the next, and the order could tell how long
 * a hidden row took to read.
 */
export const inAnswerOrder = <T extends Located>(errors: readonly T[]): T[] =>
  [...errors].sort(
    (a, b) => comparePaths(a.path, b.path) || (String(a.message) < String(b.message) ? -1 : String(a.message) > String(b.message) ? 1 : 0),
  );

/** Strapi's errors whose GraphQL code is Apollo's word rather than their HTTP status's name. */
const CODE_BY_STRAPI_ERROR: Record<string, string> = {
  UnauthorizedError: 'UNAUTHENTICATED',
  ValidationError: 'BAD_USER_INPUT',
};

/**
 * A refusal Strapi answered in its REST shape (`{ data: null, error: { status, name, message,
 * details } }`: a bad or expired token, a body too large, …) in GraphQL's shape, for the GraphQL
 * endpoint: `{ errors: [{ message, extensions: { code } }] }`. The code is Apollo's
 * (UNAUTHENTICATED for a 401, BAD_USER_INPUT for a validation error) or else the status's
 * name (413: PAYLOAD_TOO_LARGE). Undefined for anything else.
 */
export function graphqlShapeOfRestError(body: unknown, status: number): { errors: object[] } | undefined {
  const error = (body as { error?: { name?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (!error || typeof error.message !== 'string') return undefined;
  const code =
    CODE_BY_STRAPI_ERROR[String(error.name)] ??
    (STATUS_CODES[status] ?? 'Bad Request')
      .toUpperCase()
      .replace(/[^A-Z]+/g, '_')
      .replace(/^_|_$/g, '');
  const details = error.details && typeof error.details === 'object' && Object.keys(error.details).length ? error.details : undefined;
  return { errors: [{ message: error.message, extensions: { code, ...(details ? { details } : {}) } }] };
}
