/**
 * The headers a middleware set on a response, kept by request kind so that later requests of the
 * same kind get them without running it again. Pure: header maps in, header lists out.
 */
export type Headers = Record<string, string | string[] | number | undefined>;

/** The headers `after` has that `before` did not, or with another value. */
export function headersSet(before: Headers, after: Headers): [string, string | string[]][] {
  return Object.entries(after)
    .filter(([name, value]) => value !== undefined && String(before[name]) !== String(value))
    .map(([name, value]) => [name, Array.isArray(value) ? value : String(value)]);
}

/** Header lists by request kind, for the first `size` kinds seen (later kinds are not kept: a caller choosing paths cannot grow it). */
export class KeptHeaders {
  private readonly kinds = new Map<string, [string, string | string[]][]>();
  constructor(private readonly size: number) {}
  get(kind: string) {
    return this.kinds.get(kind);
  }
  keep(kind: string, headers: [string, string | string[]][]): void {
    if (this.kinds.size < this.size) this.kinds.set(kind, headers);
  }
}

/** Whether a configuration holds a function anywhere (a value computed per request, such as a CSP nonce). */
export const holdsFunction = (value: unknown): boolean =>
  typeof value === 'function' || (typeof value === 'object' && value !== null && Object.values(value).some(holdsFunction));
