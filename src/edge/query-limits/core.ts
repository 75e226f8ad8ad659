/**
 * Default limits of the public GraphQL API (each can be changed by an environment variable, see
 * config/plugins.ts). The cost budget is calibrated on the partner queries of the README: the
 * heaviest uses at most half of it (a test checks this).
 */
export const QUERY_LIMIT_DEFAULTS = {
  maxCost: 200_000,
  maxAliases: 30,
  maxDirectives: 20,
  maxTokens: 5000,
  timeoutMs: 10_000,
};

/**
 * Pagination a partner may ask for. Strapi quietly clamps or reinterprets bad values (a negative
 * limit, `limit: -1` meaning "everything", page 0); we answer them with a clear 400 instead.
 */
export interface Pagination {
  page?: number;
  pageSize?: number;
  start?: number;
  limit?: number;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export function paginationProblem(pagination: Pagination | null | undefined, maxLimit: number): string | null {
  if (pagination === undefined) return null;
  // Strapi reads fields of it without a check: null (or a bare value in a query string) would be a 500.
  if (pagination === null || typeof pagination !== 'object') return 'pagination must be an object: { page, pageSize } or { start, limit }.';
  const { page, pageSize, start, limit } = pagination;
  const paged = page !== undefined || pageSize !== undefined;
  const offset = start !== undefined || limit !== undefined;
  if (paged && offset) return 'pagination: use either page/pageSize or start/limit, not both.';
  const checks: [string, unknown, number, number][] = [
    ['page', page, 1, Number.MAX_SAFE_INTEGER],
    ['pageSize', pageSize, 1, maxLimit],
    ['start', start, 0, Number.MAX_SAFE_INTEGER],
    ['limit', limit, 1, maxLimit],
  ];
  for (const [name, value, min, max] of checks) {
    if (value === undefined || value === null) continue;
    if (!isInt(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`;
      return `pagination.${name} must be ${range} (got ${JSON.stringify(value)}).`;
    }
  }
  return null;
}

/** REST query strings carry numbers as text: "2" becomes 2, anything else stays as sent. */
export function paginationFromQuery(query: unknown): Pagination | null {
  if (!query || typeof query !== 'object') return null;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    out[key] = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return out as Pagination;
}
