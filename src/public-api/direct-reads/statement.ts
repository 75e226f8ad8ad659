/**
 * A planned read as one SQL statement: the database builds each record as JSON with its
 * relations, components and media nested in it (the PostGraphile approach), instead of one
 * statement per relation through Strapi's query builder and its row mapping. It covers what a
 * partner's list or record page asks for: scalar filters (`$and`, `$or`, `$not` and comparison
 * operators on the record's own columns), sorts on its own columns, pages, and any depth of
 * relations, components and media without arguments. Anything else throws NotCompiled and the
 * read goes through Strapi's database layer as before. Pure: plan, tables and query in, SQL out;
 * tests/direct-reads.test.ts compares every answer with Strapi's resolvers on both engines.
 */
import type { RecordPlan } from './core';
import type { Table } from '../../content/model/tables';

export type Dialect = 'sqlite' | 'postgres';

/** The read cannot be written as one statement here; Strapi's database layer reads it. */
export class NotCompiled extends Error {}
const notCompiled = (reason: string): never => {
  throw new NotCompiled(reason);
};

/** The database-level read Strapi's query-params transform produced (plus the Document Service's own where). */
export interface ReadQuery {
  where?: unknown;
  orderBy?: unknown;
  limit?: number;
  offset?: number;
}

/** Types read exactly as Strapi's field classes give them back (decode below); others are not compiled. */
const DECODED_TYPES = new Set([
  'string',
  'uid',
  'text',
  'richtext',
  'enumeration',
  'email',
  'integer',
  'float',
  'decimal',
  'boolean',
  'date',
  'time',
  'datetime',
  'increments',
]);
/** Types a filter compares as the bound value, without Strapi's conversion of it. */
const COMPARABLE_TYPES = new Set(['string', 'uid', 'text', 'richtext', 'enumeration', 'email', 'integer', 'increments']);
const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const quote = (name: string) => (SAFE_NAME.test(name) ? `"${name}"` : notCompiled(`name ${name}`));
const key = (name: string) => (SAFE_NAME.test(name) ? `'${name}'` : notCompiled(`name ${name}`));

interface Context {
  dialect: Dialect;
  tableOf: (uid: string) => Table;
  bindings: unknown[];
  aliases: number;
}

/** Binds `value` and returns its placeholder in the dialect's own numbering (the statement is prepared as it is). */
function bind(ctx: Context, value: unknown): string {
  ctx.bindings.push(value);
  return ctx.dialect === 'sqlite' ? '?' : `$${ctx.bindings.length}`;
}

/** The JSON object of a record of `uid` at `alias`, with what `plan` asks nested in it. */
function recordObject(ctx: Context, uid: string, alias: string, plan: RecordPlan): string {
  const table = ctx.tableOf(uid);
  const parts: string[] = [];
  for (const field of plan.fields) {
    const column = table.columns[field] ?? notCompiled(`${uid}.${field} has no column`);
    if (!DECODED_TYPES.has(column.type)) notCompiled(`${uid}.${field} is a ${column.type}`);
    parts.push(key(field), `${alias}.${quote(column.column)}`);
  }
  for (const [name, sub] of Object.entries(plan.populate)) parts.push(key(name), linked(ctx, uid, alias, name, sub));
  // PostgreSQL functions take at most 100 arguments.
  if (ctx.dialect === 'postgres' && parts.length > 100) notCompiled(`${uid}: more than 50 fields`);
  return ctx.dialect === 'sqlite' ? `json_object(${parts.join(', ')})` : `json_build_object(${parts.join(', ')})`;
}

/** The records linked to the owner at `alias` through its field `name`: a JSON array, object or null. */
function linked(ctx: Context, uid: string, alias: string, name: string, plan: RecordPlan): string {
  const link = ctx.tableOf(uid).links[name] ?? notCompiled(`${uid}.${name} has no link`);
  const target = ctx.tableOf(link.target);
  const l = `l${(ctx.aliases += 1)}`;
  const t = `t${ctx.aliases}`;
  // Bindings in the order of the text: the nested records' first, then this link's conditions.
  const object = recordObject(ctx, link.target, t, plan);
  const conditions = [`${l}.${quote(link.ownerColumn)} = ${alias}."id"`];
  for (const [column, value] of Object.entries(link.conditions)) {
    conditions.push(`${l}.${quote(column)} = ${bind(ctx, value)}`);
  }
  if (target.draftAndPublish) conditions.push(`${t}."published_at" is not null`);
  const from = `from ${quote(link.table)} ${l} join ${quote(target.name)} ${t} on ${t}."id" = ${l}.${quote(link.targetColumn)} where ${conditions.join(' and ')}`;
  const order = link.orderBy.map(([column, direction]) => `${l}.${quote(column)} ${direction === 'desc' ? 'desc' : 'asc'}`);
  if (!link.many) {
    const one = `(select ${object} ${from}${order.length ? ` order by ${order.join(', ')}` : ''} limit 1)`;
    // SQLite hands a subquery's JSON back as text: json() makes it JSON again inside the object.
    return ctx.dialect === 'sqlite' ? `json(${one})` : one;
  }
  const ordinals = link.orderBy.map(([column], n) => `, ${l}.${quote(column)} as o${n}`).join('');
  const aggregateOrder = link.orderBy.length
    ? ` order by ${link.orderBy.map(([, direction], n) => `x.o${n} ${direction === 'desc' ? 'desc' : 'asc'}`).join(', ')}`
    : '';
  const rows = `from (select ${object} as j${ordinals} ${from}) x`;
  return ctx.dialect === 'sqlite'
    ? `coalesce((select json_group_array(json(x.j)${aggregateOrder}) ${rows}), json('[]'))`
    : `coalesce((select json_agg(x.j${aggregateOrder}) ${rows}), '[]'::json)`;
}

const COMPARISONS: Record<string, string> = { $eq: '=', $ne: '<>', $lt: '<', $lte: '<=', $gt: '>', $gte: '>=' };
const isValue = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

/** A Strapi `where` on the record's own columns as SQL, or NotCompiled. */
function condition(ctx: Context, table: Table, alias: string, where: unknown): string {
  if (Array.isArray(where)) return where.length ? `(${where.map((item) => condition(ctx, table, alias, item)).join(' and ')})` : '1 = 1';
  if (where === null || typeof where !== 'object') return notCompiled('filter shape');
  const parts = Object.entries(where).map(([name, value]) => {
    if (name === '$and' || name === '$or') {
      if (!Array.isArray(value)) return notCompiled(`${name} without a list`);
      if (!value.length) return name === '$and' ? '1 = 1' : '1 = 0';
      return `(${value.map((item) => condition(ctx, table, alias, item)).join(name === '$and' ? ' and ' : ' or ')})`;
    }
    if (name === '$not') return `not (${condition(ctx, table, alias, value)})`;
    const column = table.columns[name] ?? notCompiled(`filter on ${name}`);
    const ref = `${alias}.${quote(column.column)}`;
    // Strapi's only filter on its datetimes here: the Document Service's "published".
    if (value && typeof value === 'object' && Object.keys(value).length === 1 && '$notNull' in value && (value as any).$notNull === true)
      return `${ref} is not null`;
    if (!COMPARABLE_TYPES.has(column.type)) return notCompiled(`filter on a ${column.type}`);
    return comparison(ctx, ref, value);
  });
  return parts.length ? `(${parts.join(' and ')})` : '1 = 1';
}

function comparison(ctx: Context, ref: string, value: unknown): string {
  if (value === null) return `${ref} is null`;
  if (isValue(value)) return `${ref} = ${bind(ctx, value)}`;
  if (typeof value !== 'object' || Array.isArray(value)) return notCompiled('filter value');
  const parts = Object.entries(value as Record<string, unknown>).map(([operator, operand]) => {
    // Strapi's $ne is knex's whereNot: rows whose value is null do not match either.
    if (operator in COMPARISONS && isValue(operand) && operand !== null) return `${ref} ${COMPARISONS[operator]} ${bind(ctx, operand)}`;
    if (
      (operator === '$in' || operator === '$notIn') &&
      Array.isArray(operand) &&
      operand.every((item) => isValue(item) && item !== null)
    ) {
      if (!operand.length) return operator === '$in' ? '1 = 0' : '1 = 1';
      return `${ref} ${operator === '$in' ? 'in' : 'not in'} (${operand.map((item) => bind(ctx, item)).join(', ')})`;
    }
    if ((operator === '$null' || operator === '$notNull') && typeof operand === 'boolean')
      return `${ref} ${(operator === '$null') === operand ? 'is null' : 'is not null'}`;
    if (operator === '$not') return `not (${comparison(ctx, ref, operand)})`;
    return notCompiled(`operator ${operator}`);
  });
  return parts.length ? `(${parts.join(' and ')})` : '1 = 1';
}

/** Strapi's orderBy (`[{ title: 'asc' }]`, `'title'`, `'title:desc'`) on the record's own columns. */
function ordering(table: Table, alias: string, orderBy: unknown): [string, string][] {
  const entries = orderBy == null ? [] : Array.isArray(orderBy) ? orderBy : [orderBy];
  return entries
    .flatMap((entry): [string, string][] => {
      if (typeof entry === 'string') {
        const [name, direction = 'asc'] = entry.split(':');
        return [[name, direction.toLowerCase()]];
      }
      if (entry && typeof entry === 'object')
        return Object.entries(entry).map(([name, direction]) =>
          typeof direction === 'string' ? [name, direction.toLowerCase()] : notCompiled(`sort through ${name}`),
        );
      return notCompiled('sort shape');
    })
    .map(([name, direction]) => {
      const column = table.columns[name] ?? notCompiled(`sort on ${name}`);
      if (direction !== 'asc' && direction !== 'desc') notCompiled(`sort direction ${direction}`);
      return [`${alias}.${quote(column.column)}`, direction];
    });
}

type Selected = { uid: string; object: string; bindings: unknown[] } | { uid: string; failure: NotCompiled };
const selectedObjects: Record<Dialect, WeakMap<object, WeakMap<RecordPlan, Selected>>> = { sqlite: new WeakMap(), postgres: new WeakMap() };

/**
 * The records' JSON object of compileRead (the bulk of its text), and its bindings: it depends on
 * the plan alone, which the adapter keeps for each query text, so it is written once per plan.
 */
function selected(
  dialect: Dialect,
  tableOf: (uid: string) => Table,
  uid: string,
  plan: RecordPlan,
): { object: string; bindings: unknown[] } {
  let byPlan = selectedObjects[dialect].get(tableOf);
  if (!byPlan) selectedObjects[dialect].set(tableOf, (byPlan = new WeakMap()));
  let kept = byPlan.get(plan);
  if (kept?.uid !== uid) {
    const ctx: Context = { dialect, tableOf, bindings: [], aliases: 0 };
    try {
      kept = { uid, object: recordObject(ctx, uid, 't0', plan), bindings: ctx.bindings };
    } catch (error) {
      if (!(error instanceof NotCompiled)) throw error;
      kept = { uid, failure: error };
    }
    byPlan.set(plan, kept);
  }
  if ('failure' in kept) throw kept.failure;
  return kept;
}

/**
 * The statement reading the records of `uid` that `query` selects, one row each with its JSON
 * in `j`. A page (limit or offset) ends its order with the id, as Strapi's query builder does.
 */
export function compileRead(
  dialect: Dialect,
  tableOf: (uid: string) => Table,
  uid: string,
  plan: RecordPlan,
  query: ReadQuery,
): { sql: string; bindings: unknown[] } {
  const { object, bindings } = selected(dialect, tableOf, uid, plan);
  const ctx: Context = { dialect, tableOf, bindings: [...bindings], aliases: 0 };
  const table = tableOf(uid);
  const where = query.where == null ? '1 = 1' : condition(ctx, table, 't0', query.where);
  const order = ordering(table, 't0', query.orderBy);
  const paged = query.limit != null || query.offset != null;
  if (query.limit === -1) notCompiled('limit -1');
  if (paged && order.at(-1)?.[0] !== 't0."id"') order.push(['t0."id"', 'asc']);
  let sql = `select ${object} as j from ${quote(table.name)} t0 where ${where}`;
  if (order.length) sql += ` order by ${order.map(([ref, direction]) => `${ref} ${direction}`).join(', ')}`;
  if (query.limit != null) sql += ` limit ${pageBound(ctx, query.limit)}`;
  if (query.offset) sql += `${query.limit == null && dialect === 'sqlite' ? ' limit -1' : ''} offset ${pageBound(ctx, query.offset)}`;
  return { sql, bindings: ctx.bindings };
}

/**
 * A limit or offset: on PostgreSQL written into the statement. A prepared statement is planned for
 * its parameters' values (a custom plan) until PostgreSQL finds a plan for any value (a generic
 * one) about as cheap; a generic plan must guess a parameter's limit (a tenth of the rows) and so
 * always looks dearer, and every run of a list's statement was planned again (planning 0.5-1 ms,
 * running 0.7 ms at 2,000 practices). With the numbers in its text it is planned for its first
 * five runs only. SQLite plans once per prepared statement whatever the values: bound there.
 */
function pageBound(ctx: Context, value: number): string {
  if (ctx.dialect === 'sqlite') return bind(ctx, value);
  if (!Number.isSafeInteger(value) || value < 0) notCompiled(`page bound ${value}`);
  return String(value);
}

/** A column's JSON value as Strapi's field classes return it. */
function decodeValue(type: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
    case 'float':
    case 'decimal':
      return Number(value);
    case 'boolean':
      return typeof value === 'boolean' ? value : String(value) === '1' ? true : String(value) === '0' ? false : null;
    case 'datetime': {
      const date = new Date(value as string | number);
      return Number.isNaN(date.getTime()) ? null : date.toISOString();
    }
    default:
      return value;
  }
}

/** A record read by compileRead's statement, its values as Strapi's database layer gives them. */
export function decodeRecord(tableOf: (uid: string) => Table, uid: string, plan: RecordPlan, record: any): any {
  if (record === null) return null;
  const table = tableOf(uid);
  for (const field of plan.fields) record[field] = decodeValue(table.columns[field].type, record[field]);
  for (const [name, sub] of Object.entries(plan.populate)) {
    const target = table.links[name].target;
    const value = record[name];
    record[name] = Array.isArray(value)
      ? value.map((item) => decodeRecord(tableOf, target, sub, item))
      : decodeRecord(tableOf, target, sub, value ?? null);
  }
  return record;
}
