import type { Core } from '@strapi/strapi';
import { isGraphqlPath, routerPath } from '../request-path/core';
import {
  graphqlUnavailableBody,
  OutageBreaker,
  RETRY_AFTER_SECONDS,
  UNAVAILABLE_MESSAGE,
  isDatabaseUnavailable,
  readiness,
  withTimeout,
} from './core';

const state = { shuttingDown: false };

/** Inside the test runner's own processes, signals and crashes belong to jest, not to us. */
const insideTestRunner = () => process.env.JEST_WORKER_ID !== undefined;
const breaker = new OutageBreaker();
const NOT_BEHIND_BREAKER = new Set(['/_health', '/_ready']);

/** null when the database answers within 1.5 s, else why not. */
async function databaseProbe(strapi: Core.Strapi): Promise<string | null> {
  try {
    await withTimeout(strapi.db.connection.raw('select 1'), 1500, 'database probe');
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

let probed: Core.Strapi | undefined;
let confirming: Promise<string | null> | null = null;

/**
 * A request met what looks like an unreachable database. The switch opens (everyone answered
 * 503 until a probe succeeds) only if the database itself then fails a probe: a client can
 * provoke errors and 401s, not the database's failure. Concurrent reports share one probe.
 * Resolves to why the database is down, or null when it answers.
 */
export function confirmDatabaseOutage(): Promise<string | null> {
  if (!probed) return Promise.resolve(null);
  confirming ??= databaseProbe(probed)
    .then((failure) => {
      if (failure) breaker.recordFailure(Date.now());
      return failure;
    })
    .finally(() => {
      confirming = null;
    });
  return confirming;
}

/** Readiness for load balancers: 503 while the database is unreachable or the node is stopping. */
export function registerReadiness(strapi: Core.Strapi): void {
  strapi.server.routes([
    {
      method: 'GET',
      path: '/_ready',
      config: { auth: false },
      handler: async (ctx) => {
        const databaseError = state.shuttingDown ? null : await databaseProbe(strapi);
        const result = readiness({ shuttingDown: state.shuttingDown, databaseError });
        ctx.set('Cache-Control', 'no-store');
        ctx.status = result.ready ? 200 : 503;
        ctx.body = 'reason' in result ? { status: 'unavailable', reason: result.reason } : { status: 'ready' };
      },
    },
  ]);
}

/**
 * A request that fails because the database is down gets a fast, honest 503 with Retry-After
 * instead of a 500 (REST here; GraphQL in src/public-api/graphql-errors), and the node keeps running:
 * the connection pool reconnects by itself once the database is back.
 */
export function registerDatabaseOutageHandling(strapi: Core.Strapi): void {
  probed = strapi;
  const graphqlEndpoint = strapi.config.get('plugin::graphql.endpoint', '/graphql');
  // `failure`: this request met the outage itself (false when the breaker answered for it).
  const unavailable = (ctx: any, why: string, failure = true) => {
    if (failure) strapi.log.warn(`[health] database unavailable during ${ctx.method} ${ctx.path}: ${why}`);
    ctx.status = 503;
    ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
    // Each API answers in its own error shape.
    ctx.body = isGraphqlPath(ctx.path, graphqlEndpoint)
      ? graphqlUnavailableBody()
      : { data: null, error: { status: 503, name: 'ServiceUnavailableError', message: UNAVAILABLE_MESSAGE } };
  };
  strapi.server.use(async (ctx, next) => {
    try {
      if (!NOT_BEHIND_BREAKER.has(routerPath(ctx.path))) {
        const decision = breaker.decide(Date.now());
        if (decision === 'refuse') return unavailable(ctx, 'still unreachable (recent probe)', false);
        if (decision === 'probe') {
          const probe = await databaseProbe(strapi);
          if (probe) {
            breaker.recordFailure(Date.now());
            return unavailable(ctx, `probe: ${probe}`);
          }
          breaker.recordSuccess();
          strapi.log.info('[health] database reachable again');
        }
      }
      await next();
      // users-permissions turns any failure while loading the public role into a 401: an
      // anonymous 401 while the database does not answer is such a failure, and honestly a 503.
      // Any other 401 (no token for the admin API, a forged cookie) stays the client's.
      if (ctx.status === 401 && !ctx.get('authorization')) {
        const why = await confirmDatabaseOutage();
        if (why) unavailable(ctx, why);
      }
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      // This request met the failure and gets its 503; everyone else only if the probe fails too.
      await confirmDatabaseOutage();
      unavailable(ctx, (error as Error).message);
    } finally {
      // A response finished while stopping closes its keep-alive connection, so the drain ends with it.
      if (state.shuttingDown) ctx.set('Connection', 'close');
    }
  });
}

/**
 * During a database outage Strapi leaves some query promises without a handler (seen: the
 * relation loads behind a GraphQL list). Node would end the process on such an unhandled
 * rejection; the node must instead live on and recover when the database is back. Only
 * database-unavailable rejections are survived: anything else still stops the process as before.
 */
export function surviveDatabaseOutages(strapi: Core.Strapi): void {
  if (insideTestRunner()) return;
  process.on('unhandledRejection', (reason) => {
    if (!isDatabaseUnavailable(reason)) throw reason;
    void confirmDatabaseOutage();
    strapi.log.warn(`[health] database unavailable (unhandled query): ${(reason as Error)?.message ?? reason}`);
  });
}

/**
 * On SIGTERM (or SIGINT) the node stops accepting connections, lets the requests in flight
 * finish, closes the database pool and exits 0.
 * Strapi's own signal handler destroys the server at once, cutting requests in flight, and
 * offers no hook: ours replaces it. Skipped under `strapi develop` (its watcher restarts the
 * process) and inside the test runner's processes (their signals belong to jest).
 */
export function registerGracefulShutdown(strapi: Core.Strapi, { drainMs = Number(process.env.SHUTDOWN_DRAIN_MS || 25000) } = {}): void {
  if (strapi.config.get('autoReload') || insideTestRunner()) return;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.removeAllListeners(signal);
  let stopping: Promise<void> | null = null;
  const stop = (signal: string) => {
    if (stopping) return;
    state.shuttingDown = true;
    strapi.log.info(`[shutdown] ${signal}: finishing requests in flight, then stopping`);
    const server = strapi.server.httpServer;
    stopping = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        strapi.log.warn(`[shutdown] requests still open after ${drainMs} ms; closing them`);
        resolve();
      }, drainMs);
      server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      server.closeIdleConnections?.();
    })
      .then(() => strapi.destroy())
      .then(
        () => process.exit(0),
        (error) => {
          strapi.log.error(`[shutdown] ${(error as Error).message}`);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
