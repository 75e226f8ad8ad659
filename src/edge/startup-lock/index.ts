import { Client } from 'pg';
import type { Core } from '@strapi/strapi';

/** Any fixed 64-bit key: the advisory lock every node of this knowledge base takes at start. */
const STARTUP_LOCK_KEY = 4_040_2022;

/**
 * Several nodes may start at once on one PostgreSQL. Strapi's schema sync (and our seed) must
 * not run twice concurrently, so each node takes a session-level advisory lock in register()
 * and releases it at the end of bootstrap(): nodes start one after another, and a later node
 * finds the schema and the seed already in place. If a node dies while starting, PostgreSQL
 * drops its session and the lock with it. SQLite has a single writer and needs none of this.
 */
export async function acquireStartupLock(strapi: Core.Strapi): Promise<() => Promise<void>> {
  const { client, connection } = strapi.config.get('database.connection') as { client: string; connection: Record<string, unknown> };
  if (client !== 'postgres') return async () => undefined;

  const session = new Client(connection);
  // A pg client without an 'error' listener takes the process down when the server goes away.
  session.on('error', (error) => strapi.log.warn(`[startup] lock session: ${error.message}`));
  await session.connect();
  const waiting = setTimeout(() => strapi.log.info('[startup] waiting for another node to finish starting…'), 2000);
  try {
    await session.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
  } finally {
    clearTimeout(waiting);
  }
  return async () => {
    try {
      await session.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK_KEY]);
    } finally {
      await session.end();
    }
  };
}
