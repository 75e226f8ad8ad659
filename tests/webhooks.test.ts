/**
 * Webhooks for partners, through a real HTTP receiver that checks signatures with the
 * docs' example (examples/webhook-receiver): subscriptions made in the admin, one signed message
 * per publication event (none for a draft save) carrying only the change feed's public entry,
 * filters, a receiver that is down then back gets everything once per id, dead-lettering after
 * the schedule and a redelivery from the admin, tampered messages detected. On PostgreSQL also
 * two node processes: a burst delivered once per id, and a node killed while holding messages
 * loses none. Prints the publish-to-webhook latency (p50/p99).
 */
import fs from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import path from 'path';
import { Webhook } from 'standardwebhooks';
import { verifyWebhook, type ChangeMessage } from '../examples/webhook-receiver/src/verify';
import { createTestDatabase, testEngine, type TestDatabase } from './helpers/database';
import { adminUser, contentManager } from './helpers/editors';
import { postJson, startNode, waitFor, type StrapiNode } from './helpers/nodes';
import { adminSession, startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

const SUBSCRIPTIONS = 'api::webhook-subscription.webhook-subscription';
const DELIVERIES = 'api::webhook-delivery.webhook-delivery';
/** A short schedule: retries from 200 ms, at most 1 s apart, dead-lettered 5 s after the first failure. */
const SCHEDULE = {
  WEBHOOK_POLL_MS: '100',
  WEBHOOK_RETRY_BASE_MS: '200',
  WEBHOOK_RETRY_MAX_DELAY_MS: '1000',
  WEBHOOK_GIVE_UP_AFTER_MS: '5000',
  WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_LEASE_MS: '3000',
};

interface Arrival {
  id: string;
  path: string;
  body: string;
  headers: http.IncomingHttpHeaders;
  message: ChangeMessage | null;
  at: number;
}

/** A partner's endpoint: verifies with the example, answers as told per path ('ok', '500', 'hang'), counts acknowledgements per id. */
class Receiver {
  readonly arrivals: Arrival[] = [];
  /** Waits for arrivals: each is asked again at every arrival, and leaves once it answers true. */
  private waiting: (() => boolean)[] = [];
  readonly acknowledged = new Map<string, number>();
  readonly secrets = new Map<string, string>();
  readonly modes = new Map<string, 'ok' | '500' | 'hang'>();
  readonly hanging: { res: http.ServerResponse; id: string }[] = [];
  private server: http.Server | null = null;
  port = 0;

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const id = String(req.headers['webhook-id']);
        const message = verifyWebhook(this.secrets.get(req.url!) ?? '', body, req.headers);
        this.arrivals.push({ id, path: req.url!, body, headers: req.headers, message, at: performance.now() });
        this.waiting = this.waiting.filter((check) => !check());
        if (!message) return void res.writeHead(401).end();
        const mode = this.modes.get(req.url!) ?? 'ok';
        if (mode === '500') return void res.writeHead(500).end();
        if (mode === 'hang') return void this.hanging.push({ res, id });
        this.acknowledge(res, id);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  acknowledge(res: http.ServerResponse, id: string): void {
    if (res.socket?.destroyed) return;
    res.writeHead(204).end();
    this.acknowledged.set(id, (this.acknowledged.get(id) ?? 0) + 1);
  }

  /** Down: the port refuses connections. */
  async down(): Promise<void> {
    const server = this.server!;
    this.server = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  release(): void {
    for (const { res, id } of this.hanging.splice(0)) this.acknowledge(res, id);
  }

  at(path: string) {
    return this.arrivals.filter((a) => a.path === path);
  }

  /** Resolves when the `count`-th message arrives at `path`, at its arrival (a latency measure must not wait for a poll). */
  arrived(path: string, count: number): Promise<Arrival> {
    return new Promise((resolve) => {
      const check = () => {
        const arrivals = this.at(path);
        if (arrivals.length < count) return false;
        resolve(arrivals[count - 1]);
        return true;
      };
      if (!check()) this.waiting.push(check);
    });
  }
}

const until = (check: () => boolean | Promise<boolean>, describe: () => string, timeoutMs = 30000) =>
  waitFor(async () => Boolean(await check()), timeoutMs, describe);
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

const receiver = new Receiver();
beforeAll(() => receiver.up());
afterAll(() => receiver.down().catch(() => undefined));

describe('webhooks on one node', () => {
  let kb: KnowledgeBase;
  let admin: { authorization: string };
  const themes = () => kb.strapi.documents('api::theme.theme');
  const theme = (slug: string, name: string) => ({ slug, name, source: { title: 'Test' } });

  beforeAll(async () => {
    kb = await startKnowledgeBase({ env: SCHEDULE });
    admin = { authorization: `Bearer ${await adminSession(kb)}` };
  }, 180000);
  afterAll(async () => {
    await kb?.stop();
  });

  const cm = (path = '') => `/content-manager/collection-types/${SUBSCRIPTIONS}${path}`;
  /** A subscription as an administrator makes it in the admin; registers its secret with the receiver. */
  async function subscribe(path: string, fields: Record<string, unknown> = {}) {
    const res = await kb
      .http()
      .post(cm())
      .set(admin)
      .send({ name: `Partner ${path}`, url: `${receiver.url}${path}`, active: true, ...fields });
    expect(res.status).toBe(201);
    receiver.secrets.set(path, res.body.data.secret);
    return res.body.data as { documentId: string; id: number; secret: string };
  }
  const deliveriesOf = (subscriptionId: number) =>
    kb.strapi.db.query(DELIVERIES).findMany({ where: { subscription: { id: subscriptionId } }, orderBy: { id: 'asc' } });

  test('subscriptions live in the admin: a whsec_ secret is generated, bad input is a clear 400, nobody else reads them', async () => {
    const made = await subscribe('/checks', { active: false });
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const opened = await kb
      .http()
      .get(cm(`/${made.documentId}`))
      .set(admin);
    expect(opened.body.data).toMatchObject({ secret: made.secret, active: false });

    for (const [fields, message] of [
      [{ url: 'ftp://example.org/hook' }, /"url" must be an http or https address/],
      [{ url: 'not a url' }, /"url" must be an http or https address/],
      [{ events: 'PUBLISHED, EXPLODED' }, /Unknown value "EXPLODED" in "events"/],
      [{ types: 'GOOD_PRACTICE, WEBHOOK' }, /Unknown value "WEBHOOK" in "types"/],
      [{ locale: 'fr' }, /Unknown locale "fr"/],
      [{ secret: 'hunter2' }, /"secret" must be a Standard Webhooks secret/],
    ] as const) {
      const res = await kb
        .http()
        .post(cm())
        .set(admin)
        .send({ name: 'Bad', url: 'https://partner.example.org/hook', ...fields });
      expect([res.status, res.body.error?.message]).toEqual([400, expect.stringMatching(message)]);
    }
    // Names are normalised as stored.
    const saved = await kb
      .http()
      .put(cm(`/${made.documentId}`))
      .set(admin)
      .send({ events: 'published unpublished', types: 'good-practice' });
    expect(saved.body.data).toMatchObject({ events: 'PUBLISHED, UNPUBLISHED', types: 'GOOD_PRACTICE', secret: made.secret });

    // Only administrators: an editor or a reviewer does not see them; anonymous callers and API tokens have no route, no GraphQL field.
    for (const role of ['strapi-editor', 'reviewer']) {
      const person = await contentManager(kb, await adminUser(kb, role, role === 'reviewer' ? 'Rita' : 'Elena'));
      expect((await person.get(cm())).status).toBe(403);
      expect((await person.get(`/content-manager/collection-types/${DELIVERIES}`)).status).toBe(403);
    }
    const token = await kb.apiToken();
    for (const headers of [{}, { authorization: `Bearer ${token}` }]) {
      for (const url of ['/api/webhook-subscriptions', '/api/webhook-deliveries'])
        expect((await kb.http().get(url).set(headers)).status).toBe(404);
      const gql = await kb.graphql('{ webhookSubscriptions { url secret } }', undefined, headers);
      expect(gql.status).toBe(400);
      expect(JSON.stringify(gql.body)).not.toContain(made.secret);
    }
  });

  test('publish, update, unpublish, delete: one signed message each with the feed entry and nothing else; a draft save none', async () => {
    const sub = await subscribe('/all');
    const { documentId } = await themes().create({ locale: 'it', data: theme('tema-webhook', 'Tema webhook') } as any);
    await themes().publish({ documentId, locale: 'it' } as any);
    await themes().update({ documentId, locale: 'it', data: { name: 'Tema webhook, bozza' } } as any);
    await themes().update({ documentId, locale: 'it', data: { name: 'Tema webhook rivisto' }, status: 'published' } as any);
    await themes().unpublish({ documentId, locale: 'it' } as any);
    await themes().publish({ documentId, locale: 'it' } as any);
    await themes().delete({ documentId, locale: '*' } as any);

    await until(
      () => receiver.at('/all').filter((a) => a.message).length >= 5,
      () => `messages: ${JSON.stringify(receiver.at('/all'))}`,
    );
    // Messages sent together may arrive in any order: the cursor orders them.
    const cursorOf = (m: ChangeMessage) => Number(Buffer.from(m.data.cursor, 'base64url').toString().split(':')[1]);
    const messages = receiver
      .at('/all')
      .map((a) => a.message!)
      .sort((x, y) => cursorOf(x) - cursorOf(y));
    expect(messages.map((m) => `${m.type} ${m.data.type} ${m.data.slug} ${m.data.locale}`)).toEqual([
      'change.published THEME tema-webhook it',
      'change.updated THEME tema-webhook it',
      'change.unpublished THEME tema-webhook it',
      'change.published THEME tema-webhook it',
      'change.deleted THEME tema-webhook it',
    ]);
    // Public fields only: exactly the change feed's entry, as GET /api/changes gives it.
    const feed = (await kb.http().get('/api/changes').query({ types: 'THEME', first: 1000 })).body.items;
    for (const message of messages) {
      expect(Object.keys(message).sort()).toEqual(['data', 'timestamp', 'type']);
      expect(Object.keys(message.data).sort()).toEqual(['action', 'at', 'cursor', 'documentId', 'locale', 'slug', 'type']);
      expect(message.timestamp).toBe(message.data.at);
    }
    // The feed keeps the latest event of a record; the message of it is the same entry.
    expect(feed).toContainEqual(messages[4].data);
    expect(new Set(receiver.at('/all').map((a) => a.id)).size).toBe(5);
    // Five messages in the log, each delivered on the first attempt; the draft save queued none.
    await until(
      async () => (await deliveriesOf(sub.id)).every((d: any) => d.deliveryStatus === 'delivered'),
      () => 'not all delivered',
    );
    const log = await deliveriesOf(sub.id);
    expect(log.map((d: any) => [d.deliveryStatus, d.attempts, d.lastResponseStatus])).toEqual(Array(5).fill(['delivered', 1, 204]));
    expect(log.map((d: any) => d.messageId).sort()).toEqual(
      receiver
        .at('/all')
        .map((a) => a.id)
        .sort(),
    );
  });

  test('a tampered body, a wrong secret or an old timestamp fail the receiver’s check', async () => {
    const arrival = receiver.at('/all')[0];
    const secret = receiver.secrets.get('/all')!;
    expect(verifyWebhook(secret, arrival.body, arrival.headers)).not.toBeNull();
    expect(verifyWebhook(secret, arrival.body.replace('tema-webhook', 'tema-falso'), arrival.headers)).toBeNull();
    expect(verifyWebhook(receiver.secrets.get('/checks')!, arrival.body, arrival.headers)).toBeNull();
    expect(verifyWebhook(secret, arrival.body, { ...arrival.headers, 'webhook-id': 'msg_other' })).toBeNull();
    // A replay of a captured message, re-signed by someone without the secret, or much later: refused.
    const forged = new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`);
    const old = new Date(Date.now() - 3600_000);
    expect(
      verifyWebhook(secret, arrival.body, {
        'webhook-id': arrival.id,
        'webhook-timestamp': String(Math.floor(old.getTime() / 1000)),
        'webhook-signature': forged.sign(arrival.id, old, arrival.body),
      }),
    ).toBeNull();
    // The receiver answered 401 to a forged request, as the example does.
    const res = await fetch(`${receiver.url}/all`, {
      method: 'POST',
      headers: { 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
      body: arrival.body,
    });
    expect(res.status).toBe(401);
  });

  test('filters: types, actions and locale pick the messages of each subscription', async () => {
    const onlyEnglishThemes = await subscribe('/themes-en', { types: 'THEME', locale: 'en' });
    const onlyPublications = await subscribe('/published', { events: 'PUBLISHED' });
    const onlyEvents = await subscribe('/events', { types: 'EVENT' });
    const { documentId } = await themes().create({ locale: 'it', data: theme('tema-filtri', 'Tema filtri') } as any);
    await themes().publish({ documentId, locale: 'it' } as any);
    await themes().update({ documentId, locale: 'en', data: theme('tema-filtri', 'Filter theme') } as any);
    await themes().publish({ documentId, locale: 'en' } as any);
    await themes().unpublish({ documentId, locale: 'en' } as any);

    const events = async (id: number) => (await deliveriesOf(id)).map((d: any) => d.event);
    expect(await events(onlyEnglishThemes.id)).toEqual(['PUBLISHED THEME tema-filtri (en)', 'UNPUBLISHED THEME tema-filtri (en)']);
    expect(await events(onlyPublications.id)).toEqual(['PUBLISHED THEME tema-filtri (it)', 'PUBLISHED THEME tema-filtri (en)']);
    expect(await events(onlyEvents.id)).toEqual([]);
    await until(
      () => receiver.at('/themes-en').length === 2 && receiver.at('/published').length === 2,
      () => 'filtered messages did not arrive',
    );
    expect(receiver.at('/events')).toEqual([]);
  });

  test('a receiver that is down, then failing, then back gets every message, acknowledged once per id', async () => {
    const sub = await subscribe('/outage', { types: 'THEME' });
    await receiver.down();
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { documentId } = await themes().create({ locale: 'it', data: theme(`tema-guasto-${i}`, `Tema guasto ${i}`) } as any);
      await themes().publish({ documentId, locale: 'it' } as any);
      ids.push(documentId);
    }
    // Refused connections are retried...
    await until(
      async () => (await deliveriesOf(sub.id)).every((d: any) => d.attempts >= 2 && d.lastError),
      () => 'no retries recorded',
    );
    // ...then the receiver answers 500 for a while...
    await receiver.up();
    receiver.modes.set('/outage', '500');
    await until(
      () => receiver.at('/outage').length >= 5,
      () => 'no 500s',
    );
    // ...and then comes back.
    receiver.modes.set('/outage', 'ok');
    await until(
      async () => (await deliveriesOf(sub.id)).every((d: any) => d.deliveryStatus === 'delivered'),
      () => 'not delivered after recovery',
    );
    const log = await deliveriesOf(sub.id);
    expect(log.map((d: any) => JSON.parse(d.payload).data.documentId)).toEqual(ids);
    for (const d of log as any[]) expect(receiver.acknowledged.get(d.messageId)).toBe(1);
    expect(log.every((d: any) => d.attempts >= 3 && d.firstFailedAt && d.deliveredAt)).toBe(true);
    // Every attempt of a message carried the same id, and every one was signed right.
    const attempts = receiver.at('/outage');
    expect(new Set(attempts.map((a) => a.id))).toEqual(new Set(log.map((d: any) => d.messageId)));
    expect(attempts.every((a) => a.message)).toBe(true);
  });

  test('after the schedule a message is dead-lettered; an administrator sends it again from the admin', async () => {
    const sub = await subscribe('/broken', { types: 'THEME', events: 'PUBLISHED' });
    receiver.modes.set('/broken', '500');
    const { documentId } = await themes().create({ locale: 'it', data: theme('tema-perso', 'Tema perso') } as any);
    await themes().publish({ documentId, locale: 'it' } as any);
    await until(
      async () => (await deliveriesOf(sub.id))[0]?.deliveryStatus === 'failed',
      () => 'not dead-lettered',
      20000,
    );
    const [dead] = await deliveriesOf(sub.id);
    expect(dead).toMatchObject({ deliveryStatus: 'failed', lastResponseStatus: 500, lastError: 'HTTP 500' });
    // Its last try was at the deadline, five seconds after the first failure.
    const tries = receiver.at('/broken');
    expect(tries.at(-1)!.at - tries[0].at).toBeGreaterThanOrEqual(4900);

    // In the admin: the log is read-only but for "to deliver" again.
    receiver.modes.set('/broken', 'ok');
    const at = `/content-manager/collection-types/${DELIVERIES}/${dead.documentId}`;
    const edited = await kb.http().put(at).set(admin).send({ payload: '{"forged":true}', attempts: 0 });
    expect(edited.status).toBe(200);
    expect(edited.body.data).toMatchObject({ deliveryStatus: 'failed', payload: dead.payload, attempts: dead.attempts });
    const created = await kb
      .http()
      .post(`/content-manager/collection-types/${DELIVERIES}`)
      .set(admin)
      .send({ messageId: 'x', payload: '{}' });
    expect([created.status, created.body.error.message]).toEqual([400, expect.stringMatching(/cannot be created by hand/)]);

    const redeliver = await kb
      .http()
      .put(at)
      .set(admin)
      .send({ ...edited.body.data, deliveryStatus: 'pending' });
    expect(redeliver.status).toBe(200);
    await until(
      async () => (await deliveriesOf(sub.id))[0].deliveryStatus === 'delivered',
      () => 'not redelivered',
    );
    const [again] = await deliveriesOf(sub.id);
    expect(again).toMatchObject({ messageId: dead.messageId, attempts: 1, lastResponseStatus: 204, payload: dead.payload });
    expect(receiver.acknowledged.get(dead.messageId)).toBe(1);
  });

  test('publish-to-webhook latency over 100 publications (printed)', async () => {
    await subscribe('/latency', { types: 'THEME', events: 'UPDATED' });
    const { documentId } = await themes().create({ locale: 'it', data: theme('tema-latenza', 'Tema latenza') } as any);
    await themes().publish({ documentId, locale: 'it' } as any);
    // From the editor's publish call, and from its return (the commit): to the receiver's arrival.
    const fromCall: number[] = [];
    const fromCommit: number[] = [];
    for (let i = 0; i < 100; i += 1) {
      const start = performance.now();
      await themes().update({ documentId, locale: 'it', data: { name: `Tema latenza ${i}` }, status: 'published' } as any);
      const committed = performance.now();
      const arrival = await receiver.arrived('/latency', i + 1);
      fromCall.push(arrival.at - start);
      fromCommit.push(arrival.at - committed);
    }
    const summary = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return `p50 ${quantile(sorted, 0.5).toFixed(1)} ms, p99 ${quantile(sorted, 0.99).toFixed(1)} ms`;
    };
    console.log(
      `[webhooks] ${testEngine()}: publish-to-webhook latency over 100 publications: from the publish call ${summary(fromCall)}; ` +
        `from its commit ${summary(fromCommit)} (the publishing node sends at commit; others poll every WEBHOOK_POLL_MS)`,
    );
    expect(fromCall).toHaveLength(100);
  });

  test('docs/partners.md shows the signature check that these tests run', () => {
    const root = path.resolve(__dirname, '..');
    const example = fs.readFileSync(path.join(root, 'examples/webhook-receiver/src/verify.ts'), 'utf8').trim();
    const docs = fs.readFileSync(path.join(root, 'docs/partners.md'), 'utf8');
    expect(docs).toContain('```ts\n' + example + '\n```');
  });
});

const onPostgres = testEngine() === 'postgres' ? describe : describe.skip;

onPostgres('webhooks from two nodes on one PostgreSQL', () => {
  let database: TestDatabase;
  let a: StrapiNode;
  let b: StrapiNode;
  let token = '';
  let themeId = '';
  const env = { ...SCHEDULE, WEBHOOK_BATCH: '1', WEBHOOK_TIMEOUT_MS: '5000', WEBHOOK_LEASE_MS: '6000' };

  const sql = async <T>(text: string, values: unknown[] = []): Promise<T[]> => {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: database.env.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const post = postJson;
  const edit = async (name: string, node = a) => {
    const res = await fetch(`${node.url}/api/themes/${themeId}?locale=en`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ data: { name } }),
    });
    expect(res.status).toBe(200);
  };
  const messagesAt = (path: string) => new Set(receiver.at(path).map((arrival) => arrival.id));

  beforeAll(async () => {
    database = await createTestDatabase();
    [a, b] = await Promise.all([startNode({ ...database.env, ...env }), startNode({ ...database.env, ...env })]);
    const { token: jwt } = await post(a, '/admin/register-admin', {
      firstname: 'Admin',
      email: 'admin@example.org',
      password: 'Admin-Passw0rd',
    });
    ({ accessKey: token } = await post(
      a,
      '/admin/api-tokens',
      { name: 'editor', type: 'full-access', lifespan: null },
      { authorization: `Bearer ${jwt}` },
    ));
    const subscription = await post(
      a,
      `/content-manager/collection-types/${SUBSCRIPTIONS}`,
      { name: 'Cluster partner', url: `${receiver.url}/cluster`, types: 'THEME', active: true },
      { authorization: `Bearer ${jwt}` },
    );
    receiver.secrets.set('/cluster', subscription.secret);
    const [row] = await sql<{ document_id: string }>(
      `SELECT document_id FROM themes WHERE slug = 'abitare-i-territori' AND locale = 'en' LIMIT 1`,
    );
    themeId = row.document_id;
  }, 300000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  test('a burst of 30 publications: every message delivered by exactly one node, once', async () => {
    // Through both nodes in turn: each is woken by its own commits and polls for the other's.
    for (let i = 0; i < 30; i += 1) await edit(`Living in local areas ${i}`, i % 2 ? b : a);
    type Row = { message_id: string; status: string; attempts: number; lease: string };
    const rows = () => sql<Row>(`SELECT message_id, delivery_status AS status, attempts, lease FROM webhook_deliveries ORDER BY id`);
    await until(
      async () => (await rows()).every((row) => row.status === 'delivered'),
      () => `${messagesAt('/cluster').size} arrived`,
      60000,
    );
    const delivered = await rows();
    // At least one message per edit (an edit also updates the themes that show this one).
    expect(delivered.length).toBeGreaterThanOrEqual(30);
    expect(delivered.every((row) => row.attempts === 1)).toBe(true);
    expect(receiver.at('/cluster')).toHaveLength(delivered.length);
    for (const row of delivered) expect(receiver.acknowledged.get(row.message_id)).toBe(1);
    const byNode = new Map<string, number>();
    for (const row of delivered) byNode.set(row.lease.split(':')[1], (byNode.get(row.lease.split(':')[1]) ?? 0) + 1);
    console.log(
      `[webhooks] burst: ${delivered.length} messages delivered once each, by node processes ${JSON.stringify(Object.fromEntries(byNode))}`,
    );
  });

  test('a node killed while holding messages loses none: the other delivers them after the lease', async () => {
    receiver.modes.set('/cluster', 'hang');
    const before = receiver.at('/cluster').length;
    const [{ last }] = await sql<{ last: number }>(`SELECT max(id) AS last FROM webhook_deliveries`);
    for (let i = 0; i < 4; i += 1) await edit(`Living in local areas, hanging ${i}`);
    // Wait until node A is sending (its claim is in the database, the receiver holds the request).
    const held = () =>
      sql<{ message_id: string }>(
        `SELECT message_id FROM webhook_deliveries WHERE delivery_status = 'pending' AND locked_until > now() AND lease LIKE $1`,
        [`%:${a.process.pid}:%`],
      );
    await until(
      async () => (await held()).length > 0 && receiver.at('/cluster').length > before,
      () => 'node A did not take a message',
    );
    const heldByA = (await held()).map((row) => row.message_id);
    a.process.kill('SIGKILL');
    await a.exited;
    receiver.modes.set('/cluster', 'ok');
    receiver.release();

    await until(
      async () => (await sql(`SELECT 1 FROM webhook_deliveries WHERE delivery_status <> 'delivered'`)).length === 0,
      () => 'not all delivered after the kill',
      60000,
    );
    const rows = await sql<{ message_id: string; lease: string }>(`SELECT message_id, lease FROM webhook_deliveries WHERE id > $1`, [last]);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) expect(receiver.acknowledged.get(row.message_id)).toBeGreaterThanOrEqual(1);
    // What A held was finished by B, with the same webhook-id.
    for (const id of heldByA) expect(rows.find((row) => row.message_id === id)?.lease).toContain(`:${b.process.pid}:`);
    console.log(
      `[webhooks] node A (killed) held ${heldByA.length} message(s); acknowledgements per id after recovery: ` +
        rows.map((row) => receiver.acknowledged.get(row.message_id)).join(', '),
    );
  });
});
