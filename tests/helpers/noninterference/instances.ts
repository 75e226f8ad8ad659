import { copyDatabase, createTestDatabase, type TestDatabase } from '../database';
import { startNode, type StrapiNode } from '../nodes';
import { startKnowledgeBase, type KnowledgeBase } from '../strapi';
import { addHiddenContent, addSharedContent, type HiddenFacts } from './content';
import { harvestModel, type Model } from './model';

/**
 * Strapi keeps itself in a process-wide global (`strapi`) that our code and Strapi's own read, so
 * two instances cannot serve from one process. Each instance is therefore prepared in this
 * process, one after the other (the Document Service writes the content), and then served by a
 * node of its own (tests/helpers/nodes.ts), both with the same environment.
 */
export interface Instances {
  public: StrapiNode;
  hidden: StrapiNode;
  model: Model;
  facts: HiddenFacts;
  stop(): Promise<void>;
}

/**
 * Writing the fixtures is not under test: on a busy machine, right after PostgreSQL has copied a
 * database, a new connection can take longer than the 5 s a request waits in production.
 */
const PREPARATION_ENV = { DATABASE_CONNECTION_TIMEOUT: '60000' };

async function prepare<T>(database: TestDatabase, write: (kb: KnowledgeBase) => Promise<T>): Promise<T> {
  const kb = await startKnowledgeBase({ database, env: PREPARATION_ENV });
  try {
    return await write(kb);
  } finally {
    await kb.stop();
  }
}

/**
 * One configuration for both nodes. The public address is set, as in production: links in the
 * open data are built from it, not from the port a node happens to listen on. Rate limits are
 * far above what the suite sends: their headers are then on every answer, so an answer that
 * skips the limiter is visible without exhausting it.
 */
// Operations compiled (graphql-jit) from their first run, as a node's busiest ones are: the direct reads' reads are the same either way.
const NODE_ENV_VARS = {
  PUBLIC_URL: 'https://kb.example.org',
  RATE_LIMIT_ANONYMOUS: '100000000',
  RATE_LIMIT_TOKEN: '100000000',
  GRAPHQL_COMPILE_AFTER: '1',
};

export async function startInstances(): Promise<Instances> {
  const publicDb = await createTestDatabase('seeded');
  const databases = [publicDb];
  const nodes: StrapiNode[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await Promise.all(databases.map((db) => db.drop()));
  };
  try {
    const model = await prepare(publicDb, async (kb) => {
      await addSharedContent(kb);
      return harvestModel(kb);
    });
    // A copy taken once the shared published knowledge is in: every published row, its documentId,
    // id and timestamps are the same in both, so nothing needs masking (a masked timestamp could
    // hide a draft edit that touched a published row). Only then does the second get its hidden content.
    const hiddenDb = await copyDatabase(publicDb);
    databases.push(hiddenDb);
    const facts = await prepare(hiddenDb, (kb) => addHiddenContent(kb));
    nodes.push(
      ...(await Promise.all([startNode({ ...publicDb.env, ...NODE_ENV_VARS }), startNode({ ...hiddenDb.env, ...NODE_ENV_VARS })])),
    );
    return { public: nodes[0], hidden: nodes[1], model, facts, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
