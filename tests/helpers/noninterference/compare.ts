import type { Probe } from './generator';

/**
 * Sends each request to both instances and compares what an anonymous caller gets: status,
 * body, and the headers a client or cache acts on. Masked, because they vary by design and
 * never with content: the request id (a header, and inside a masked error's body), the date,
 * how many requests are left in the rate-limit window and when it resets (clock-driven), and
 * whether an answer came from the response cache (timing-driven; the answer itself is compared).
 */

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const COMPARED_HEADERS = [
  'content-type',
  'etag',
  'cache-control',
  'last-modified',
  'location',
  'vary',
  'access-control-allow-origin',
  'ratelimit-limit',
  'retry-after',
];
const PRESENCE_ONLY = ['ratelimit-remaining', 'ratelimit-reset', 'x-cache'];
/** What a path's spelling must not change: the protections at the edge. */
const PROTECTION_HEADERS = ['ratelimit-limit', 'etag', 'cache-control'];

/**
 * A server may answer an oversized body before reading it and close the connection while the
 * client still writes: the client then sees a reset instead of the answer, depending on timing.
 * Such a request is sent once more; a second failure is the answer (status 0), compared like
 * any other.
 */
async function send(url: string, init: RequestInit): Promise<Response | string> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (attempt === 2) return `connection failed: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}`;
    }
  }
}

export async function ask(base: string, probe: Probe, path = probe.path, extraHeaders: Record<string, string> = {}): Promise<Answer> {
  const res = await send(`${base}${path}`, {
    method: probe.method,
    headers: { ...probe.headers, ...extraHeaders },
    body: probe.body,
    redirect: 'manual',
  });
  if (typeof res === 'string') return { status: 0, headers: {}, body: res };
  const text = await res.text();
  const requestId = res.headers.get('x-request-id');
  const masked = requestId ? text.split(requestId).join('<request-id>') : text;
  let body: unknown = masked;
  if (/json/.test(res.headers.get('content-type') ?? '')) {
    try {
      body = JSON.parse(masked);
    } catch {
      // compared as text
    }
  }
  const headers: Record<string, string> = {};
  for (const name of COMPARED_HEADERS) {
    const value = res.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  for (const name of PRESENCE_ONLY) if (res.headers.has(name)) headers[name] = '<present>';
  return { status: res.status, headers, body };
}

/** Where two answers differ, as `path: A → B` lines (at most `max`). */
export function differences(a: unknown, b: unknown, max = 8, at = '$'): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const bothObjects = a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) return [`${at}: ${short(a)} → ${short(b)}`];
  const out: string[] = [];
  const keys = Array.isArray(a)
    ? [...Array(Math.max(a.length, (b as unknown[]).length)).keys()].map(String)
    : [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])];
  for (const key of keys) {
    if (out.length >= max) break;
    out.push(...differences((a as any)[key], (b as any)[key], max - out.length, Array.isArray(a) ? `${at}[${key}]` : `${at}.${key}`));
  }
  return out;
}

const short = (v: unknown) => {
  const s = v === undefined ? 'undefined' : JSON.stringify(v);
  return s.length > 240 ? `${s.slice(0, 240)}…` : s;
};

/** The request as a command to replay it against an instance at $KB. */
export function curl(probe: Probe, path = probe.path, extraHeaders: Record<string, string> = {}): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const headers = Object.entries({ ...probe.headers, ...extraHeaders }).map(([k, v]) => ` -H ${quote(`${k}: ${v}`)}`);
  const body = probe.body
    ? ` --data-raw ${quote(probe.body.length > 2000 ? `${probe.body.trimEnd()} <padded to ${probe.body.length} bytes>` : probe.body)}`
    : '';
  return `curl -isS -X ${probe.method} "$KB"${quote(path)}${headers.join('')}${body}`;
}

export interface Mismatch {
  kind: 'hidden content changes the answer' | 'server error' | 'spelling changes the answer';
  /** The request as sent (to group mismatches by what they ask). */
  probe: Probe;
  request: string;
  differences: string[];
}

/** GraphQL reports a failure of the server inside a 200: it is a 5xx all the same. */
const internalError = (body: any) =>
  Array.isArray(body?.errors) && body.errors.some((e: any) => e?.extensions?.code === 'INTERNAL_SERVER_ERROR');

const sameAnswer = (a: Answer, b: Answer) =>
  differences({ status: a.status, headers: a.headers, body: a.body }, { status: b.status, headers: b.headers, body: b.body });

/** One request (after the one it depends on, and with its revalidation and other spelling) against both instances. */
export async function compare(publicUrl: string, hiddenUrl: string, probe: Probe): Promise<Mismatch[]> {
  const mismatches: Mismatch[] = probe.prepare ? await compare(publicUrl, hiddenUrl, probe.prepare) : [];
  const pair = async (path: string, headers: Record<string, string> = {}) => {
    const [a, b] = await Promise.all([ask(publicUrl, probe, path, headers), ask(hiddenUrl, probe, path, headers)]);
    const diff = sameAnswer(a, b);
    if (diff.length)
      mismatches.push({ kind: 'hidden content changes the answer', probe, request: curl(probe, path, headers), differences: diff });
    for (const [answer, which] of [
      [a, 'public'],
      [b, 'hidden'],
    ] as const) {
      if (answer.status >= 500 || internalError(answer.body))
        mismatches.push({
          kind: 'server error',
          probe,
          request: curl(probe, path, headers),
          differences: [`${which} instance: ${answer.status} ${short(answer.body)}`],
        });
    }
    return a;
  };
  const canonical = await pair(probe.path);
  if (probe.revalidate && canonical.headers.etag) await pair(probe.path, { 'if-none-match': canonical.headers.etag });
  if (probe.variant) {
    const spelt = await pair(probe.variant);
    // A spelling the router does not serve (404, 405) is a refusal like any other, and so is a
    // path refused as malformed (400), unless the usual spelling was refused by a protection
    // (body or query too large, too many requests): a 400 may then come from past it. One that
    // is served must meet the same protections and give the same answer.
    const refusedAsPath = [404, 405].includes(spelt.status) || (spelt.status === 400 && ![413, 414, 429].includes(canonical.status));
    if (!refusedAsPath) {
      const protections = (a: Answer) => PROTECTION_HEADERS.filter((h) => h in a.headers);
      const diff = differences(
        { status: canonical.status, protections: protections(canonical), body: canonical.body },
        { status: spelt.status, protections: protections(spelt), body: spelt.body },
      );
      if (diff.length)
        mismatches.push({
          kind: 'spelling changes the answer',
          probe,
          request: `${curl(probe)}\n    vs ${curl(probe, probe.variant)}`,
          differences: diff,
        });
    }
  }
  return mismatches;
}
