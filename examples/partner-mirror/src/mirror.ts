/**
 * A partner's copy of the Com.In.4.0 knowledge base in its own SQLite file, kept in sync through
 * the change feed: each sync reads the changes after the cursor it kept, fetches the records
 * published or updated (as the public GraphQL API shows them, relations as documentIds) and
 * removes those unpublished or deleted. Run it as often as you like; it is idempotent.
 *
 *   node dist/mirror.js https://kb.example.org mirror.db
 */
import Database from 'better-sqlite3';

/** One record in one locale, as the public API returns it. */
export type PublicRecord = Record<string, unknown>;

export interface SyncResult {
  /** Changes read from the feed. */
  changes: number;
  /** Records written or removed. */
  written: number;
  removed: number;
  /** Whether the kept cursor had expired, so the copy was rebuilt from zero. */
  resynced: boolean;
  cursor: string;
}

interface Change {
  type: string;
  documentId: string;
  locale: string;
  action: 'PUBLISHED' | 'UPDATED' | 'UNPUBLISHED' | 'DELETED';
}

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface IntrospectedType {
  name: string;
  kind: string;
  fields: { name: string; args: { name: string; type: TypeRef }[]; type: TypeRef }[] | null;
}

/** What to ask for each record type: its list query and the selection of one record. */
export interface RecordQuery {
  listQuery: string;
  selection: string;
}

const PAGE = 1000;
const FETCH = 100;
/** Left out of the copy: other locales (the copy has them as records of their own) and derived JSON-LD. */
const SKIPPED_FIELDS = new Set(['localizations', 'jsonLd']);

/** A POST over a kept-alive connection the server has just closed fails before it is sent: sent again, up to twice. */
async function post(url: string, body: string): Promise<Response> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    } catch (error) {
      if (attempt === 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

async function graphql<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await post(`${url.replace(/\/+$/, '')}/graphql`, JSON.stringify({ query, variables }));
  const body = (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) throw Object.assign(new Error(body.errors[0]!.message), { code: body.errors[0]!.extensions?.code });
  if (!res.ok || !body.data) throw new Error(`${res.status} from ${url}/graphql`);
  return body.data;
}

const named = (type: TypeRef): TypeRef => (type.ofType ? named(type.ofType) : type);
const isList = (type: TypeRef): boolean => type.kind === 'LIST' || (type.kind === 'NON_NULL' && isList(type.ofType!));
/** GOOD_PRACTICE → GoodPractice: how the feed's type names map to GraphQL's. */
const typeNameOf = (feedType: string) =>
  feedType
    .toLowerCase()
    .split('_')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');

/**
 * From the schema (introspection), per feed type: the list query and every field of a record:
 * scalars, components in full, related records (and files) as their documentId.
 */
export function recordQueries(url: string): Promise<Map<string, RecordQuery>> {
  // The schema is a contract that only grows: asked once per address and process.
  let known = schemas.get(url);
  if (!known) {
    known = introspect(url);
    schemas.set(url, known);
    known.catch(() => schemas.delete(url));
  }
  return known;
}
const schemas = new Map<string, Promise<Map<string, RecordQuery>>>();

async function introspect(url: string): Promise<Map<string, RecordQuery>> {
  const ref = 'kind name ofType { kind name ofType { kind name ofType { kind name } } }';
  const { __schema: schema } = await graphql<{ __schema: { queryType: { name: string }; types: IntrospectedType[] } }>(
    url,
    `{ __schema { queryType { name } types { name kind fields { name args { name type { ${ref} } } type { ${ref} } } } } }`,
  );
  const types = new Map(schema.types.map((type) => [type.name, type]));
  const { enumValues } = await graphql<{ __type: { enumValues: { name: string }[] } }>(
    url,
    `
      {
        __type(name: "ChangeType") {
          enumValues {
            name
          }
        }
      }
    `,
  ).then((data) => data.__type);
  const selection = (typeName: string): string => {
    const fields = types.get(typeName)?.fields ?? [];
    const parts = fields
      .filter((field) => !SKIPPED_FIELDS.has(field.name) && !field.name.endsWith('_connection'))
      .filter((field) => !field.args.some((arg) => arg.type.kind === 'NON_NULL'))
      .flatMap((field) => {
        const target = types.get(named(field.type).name!);
        if (!target || target.kind === 'SCALAR' || target.kind === 'ENUM') return [field.name];
        if (target.kind !== 'OBJECT') return [];
        const isRecord = target.fields?.some((f) => f.name === 'documentId');
        return [`${field.name} { ${isRecord ? 'documentId' : selection(target.name)} }`];
      });
    return parts.join(' ');
  };
  const queryFields = types.get(schema.queryType.name)!.fields!;
  const queries = new Map<string, RecordQuery>();
  for (const { name: feedType } of enumValues) {
    const typeName = typeNameOf(feedType);
    const list = queryFields.find((f) => named(f.type).name === typeName && isList(f.type) && f.args.some((a) => a.name === 'pagination'));
    if (!list) throw new Error(`No list query for ${typeName} in the schema.`);
    queries.set(feedType, { listQuery: list.name, selection: selection(typeName) });
  }
  return queries;
}

/** Published records of one type and locale, by documentId (at most FETCH at a time). */
async function fetchRecords(url: string, query: RecordQuery, locale: string, documentIds: string[]): Promise<PublicRecord[]> {
  const data = await graphql<Record<string, PublicRecord[]>>(
    url,
    `query Records($ids: [ID], $locale: I18NLocaleCode) {
      records: ${query.listQuery}(filters: { documentId: { in: $ids } }, locale: $locale, pagination: { pageSize: ${FETCH} }) { ${query.selection} } }`,
    { ids: documentIds, locale },
  );
  return data.records!;
}

function open(dbFile: string): Database.Database {
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS records (
      type TEXT NOT NULL, document_id TEXT NOT NULL, locale TEXT NOT NULL, data TEXT NOT NULL,
      PRIMARY KEY (type, document_id, locale));
    CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
  return db;
}

const CHANGES = `query Changes($since: String, $first: Int) {
  changes(since: $since, first: $first) { items { type documentId locale action } nextCursor hasMore } }`;

/**
 * Brings the copy in `dbFile` up to date with the knowledge base at `url`. Each page of changes
 * is applied with its cursor in one SQLite transaction: a sync cut short resumes where it stopped.
 */
export async function sync(url: string, dbFile: string): Promise<SyncResult> {
  const db = open(dbFile);
  try {
    const queries = await recordQueries(url);
    const cursorRow = db.prepare(`SELECT value FROM sync_state WHERE key = 'cursor'`).get() as { value: string } | undefined;
    let since = cursorRow?.value;
    const result: SyncResult = { changes: 0, written: 0, removed: 0, resynced: false, cursor: since ?? '' };
    const upsert = db.prepare(`INSERT OR REPLACE INTO records (type, document_id, locale, data) VALUES (?, ?, ?, ?)`);
    const remove = db.prepare(`DELETE FROM records WHERE type = ? AND document_id = ? AND locale = ?`);
    const keep = db.prepare(`INSERT OR REPLACE INTO sync_state (key, value) VALUES ('cursor', ?)`);
    for (;;) {
      let page: { items: Change[]; nextCursor: string; hasMore: boolean };
      try {
        page = (await graphql<{ changes: typeof page }>(url, CHANGES, { since, first: PAGE })).changes;
      } catch (error) {
        if ((error as { code?: string }).code !== 'CURSOR_EXPIRED' || since === undefined) throw error;
        // Deletions we would need are gone from the feed: start again from zero, on an empty copy.
        db.exec(`DELETE FROM records; DELETE FROM sync_state;`);
        since = undefined;
        result.resynced = true;
        continue;
      }
      // The latest change of each record and locale decides; the records to fetch, by type and locale.
      const latest = new Map<string, Change>();
      for (const change of page.items) latest.set(`${change.type} ${change.documentId} ${change.locale}`, change);
      const wanted = new Map<string, { type: string; locale: string; ids: string[] }>();
      for (const change of latest.values()) {
        if (change.action === 'UNPUBLISHED' || change.action === 'DELETED') continue;
        const group = wanted.get(`${change.type} ${change.locale}`) ?? { type: change.type, locale: change.locale, ids: [] };
        group.ids.push(change.documentId);
        wanted.set(`${change.type} ${change.locale}`, group);
      }
      const fetched = new Map<string, PublicRecord>();
      for (const { type, locale, ids } of wanted.values()) {
        const query = queries.get(type);
        if (!query) throw new Error(`The feed names a type this mirror does not know: ${type}.`);
        for (let i = 0; i < ids.length; i += FETCH) {
          for (const record of await fetchRecords(url, query, locale, ids.slice(i, i + FETCH)))
            fetched.set(`${type} ${record.documentId} ${locale}`, record);
        }
      }
      db.transaction(() => {
        for (const [key, change] of latest) {
          const record = fetched.get(key);
          // Published or updated, but gone again by the time we asked: a later change in the feed says so.
          if (record) {
            upsert.run(change.type, change.documentId, change.locale, JSON.stringify(record));
            result.written += 1;
          } else {
            result.removed += remove.run(change.type, change.documentId, change.locale).changes;
          }
        }
        keep.run(page.nextCursor);
      })();
      result.changes += page.items.length;
      since = page.nextCursor;
      result.cursor = since;
      if (!page.hasMore) return result;
    }
  } finally {
    db.close();
  }
}

/** The copy: every record by `TYPE documentId locale`. */
export function readMirror(dbFile: string): Map<string, PublicRecord> {
  const db = open(dbFile);
  try {
    const rows = db.prepare(`SELECT type, document_id, locale, data FROM records`).all() as {
      type: string;
      document_id: string;
      locale: string;
      data: string;
    }[];
    return new Map(rows.map((row) => [`${row.type} ${row.document_id} ${row.locale}`, JSON.parse(row.data) as PublicRecord]));
  } finally {
    db.close();
  }
}

if (require.main === module) {
  const [url = process.env.KB_URL, dbFile = 'mirror.db'] = process.argv.slice(2);
  if (!url) {
    console.error('usage: node dist/mirror.js <knowledge base URL> [mirror.db]');
    process.exit(2);
  }
  sync(url, dbFile).then(
    (r) =>
      console.log(
        `${r.changes} changes: ${r.written} records written, ${r.removed} removed${r.resynced ? ' (cursor expired: copied again from zero)' : ''}; cursor ${r.cursor}`,
      ),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
