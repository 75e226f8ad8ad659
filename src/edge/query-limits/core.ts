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
 * Input limits, the same on GraphQL and REST (docs/partners.md, Limits). A filter value is a word
 * or a slug to look for: longer ones only cost, and SQLite refuses a LIKE pattern over 50,000
 * bytes (a 500). Input deeper than any real filter only costs too, and recursion over it (the
 * response cache's key, the filter checks) would overflow the stack.
 */
export const MAX_FILTER_VALUE_LENGTH = 1000;
export const MAX_INPUT_DEPTH = 32;

/** Whether a JSON-like value nests objects or lists deeper than `maxDepth`. Iterative: any depth is safe. */
export function nestedDeeperThan(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (!current || typeof current !== 'object') continue;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

export const inputTooDeep = (what: string) =>
  `${what} nested deeper than ${MAX_INPUT_DEPTH} levels: no filter needs that many; flatten the and/or/not lists.`;

/** Why these filters cannot run (a value over the maximum length, named by its path); null when they can. */
export function filterValueProblem(filters: unknown, prefix = 'filters'): string | null {
  if (nestedDeeperThan(filters, MAX_INPUT_DEPTH)) return inputTooDeep('filters');
  const stack: [unknown, string][] = [[filters, prefix]];
  while (stack.length) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string' && current.length > MAX_FILTER_VALUE_LENGTH) {
      return `${path}: a filter value may have at most ${MAX_FILTER_VALUE_LENGTH} characters (got ${current.length}).`;
    }
    if (current && typeof current === 'object') for (const [key, child] of Object.entries(current)) stack.push([child, `${path}.${key}`]);
  }
  return null;
}

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
