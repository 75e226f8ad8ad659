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

/** The status for a response carrying these errors, or null to leave Apollo's choice. */
export function httpStatusForErrors(errors: readonly { extensions?: { code?: unknown } }[] | undefined): number | null {
  const statuses = (errors ?? []).map((e) => STATUS_BY_CODE[String(e.extensions?.code)]).filter((s): s is number => s !== undefined);
  if (statuses.length === 0) return null;
  // A 403 explains more than a 400 when both occur: the caller may not do this at all.
  return Math.max(...statuses);
}
