import type { Core } from '@strapi/strapi';
import { RETRY_AFTER_SECONDS, UNAVAILABLE_MESSAGE, isDatabaseUnavailable, readiness, withTimeout } from './core';

const state = { shuttingDown: false };

/** Readiness for load balancers: 503 while the database is unreachable or the node is stopping. */
export function registerReadiness(strapi: Core.Strapi): void {
  strapi.server.routes([
    {
      method: 'GET',
      path: '/_ready',
      config: { auth: false },
      handler: async (ctx) => {
        let databaseError: string | null = null;
        if (!state.shuttingDown) {
          try {
            await withTimeout(strapi.db.connection.raw('select 1'), 2000, 'database probe');
          } catch (error) {
            databaseError = (error as Error).message;
          }
        }
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
 * instead of a 500 (REST here; GraphQL in src/graphql-errors), and the node keeps running:
 * the connection pool reconnects by itself once the database is back.
 */
export function registerDatabaseOutageHandling(strapi: Core.Strapi): void {
  strapi.server.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      strapi.log.warn(`[health] database unavailable during ${ctx.method} ${ctx.path}: ${(error as Error).message}`);
      ctx.status = 503;
      ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
      ctx.body = { data: null, error: { status: 503, name: 'ServiceUnavailableError', message: UNAVAILABLE_MESSAGE } };
    } finally {
      // A response finished while stopping closes its keep-alive connection, so the drain ends with it.
      if (state.shuttingDown) ctx.set('Connection', 'close');
    }
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
  if (strapi.config.get('autoReload') || process.env.JEST_WORKER_ID !== undefined) return;
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
        }
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

export { isDatabaseUnavailable };
