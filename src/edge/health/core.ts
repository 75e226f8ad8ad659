/** Readiness: can this node serve requests now? Pure decision, fed by the adapter's probes. */
export type Readiness = { ready: true } | { ready: false; reason: string };

export function readiness({ shuttingDown, databaseError }: { shuttingDown: boolean; databaseError: string | null }): Readiness {
  if (shuttingDown) return { ready: false, reason: 'shutting down' };
  if (databaseError) return { ready: false, reason: `database unreachable: ${databaseError}` };
  return { ready: true };
}

/** Rejects after `ms` so that a probe never hangs on a dead database. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]);
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  // PostgreSQL: admin/crash shutdown, cannot connect now, connection exceptions.
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/** The driver, its pool and knex: where the database's own failures are raised. */
const DRIVER_FRAME = /[\\/]node_modules[\\/](pg|pg-pool|pg-protocol|knex|tarn)[\\/]/;
/** Whether an error was made inside the database driver, not by code that may quote a client's words. */
const raisedByDriver = (e: any): boolean =>
  DRIVER_FRAME.test(
    String(e.stack ?? '')
      .split('\n')
      .find((line) => /^\s+at /.test(line)) ?? '',
  );

/**
 * True for errors that look like "the database cannot be reached right now", as opposed to bad
 * queries. A message alone proves nothing (a GraphQL or validation error may quote what the
 * client sent): messages count only on errors the driver raised. The adapter still confirms
 * with a probe before answering everyone 503.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: any = error, depth = 0; e && depth < 5; e = e.cause ?? e.originalError, depth += 1) {
    if (UNAVAILABLE_CODES.has(String(e.code))) return true;
    if (e.name === 'KnexTimeoutError') return true;
    if (!raisedByDriver(e)) continue;
    if (
      /Connection terminated|Connection ended unexpectedly|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i.test(
        String(e.message),
      )
    )
      return true;
    // Strapi runs even reads in a transaction; when the server kills its connection, knex
    // reports the next query of that transaction this way, not with the connection error.
    if (/^Transaction query already complete/.test(String(e.message))) return true;
  }
  return false;
}

export const UNAVAILABLE_MESSAGE = 'Service temporarily unavailable: the database cannot be reached. Please retry shortly.';

/** The GraphQL answer during an outage (REST uses Strapi's error shape with the same message). */
export const graphqlUnavailableBody = () => ({
  data: null,
  errors: [{ message: UNAVAILABLE_MESSAGE, extensions: { code: 'SERVICE_UNAVAILABLE' } }],
});
export const RETRY_AFTER_SECONDS = 5;

/**
 * Once a request has found the database unreachable, later requests are answered 503 at once
 * instead of queueing for a connection that cannot come; one probe per interval checks whether
 * the database is back. Pure: the caller passes the clock.
 */
export class OutageBreaker {
  private downSince: number | null = null;
  private lastProbe = 0;

  constructor(private readonly probeIntervalMs = 1000) {}

  get isOpen(): boolean {
    return this.downSince !== null;
  }

  /** 'pass': go on as usual; 'probe': check the database first; 'refuse': answer 503 now. */
  decide(now: number): 'pass' | 'probe' | 'refuse' {
    if (this.downSince === null) return 'pass';
    if (now - this.lastProbe >= this.probeIntervalMs) {
      this.lastProbe = now;
      return 'probe';
    }
    return 'refuse';
  }

  recordFailure(now: number): void {
    if (this.downSince === null) this.downSince = now;
    this.lastProbe = now;
  }

  recordSuccess(): void {
    this.downSince = null;
  }
}
