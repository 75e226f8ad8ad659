/**
 * Multi-row writes beneath the document service, for the archive's import and the synthetic
 * content: rows with their ids, and every kind of link a row has (relations, components, media)
 * with the positions Strapi gives them. Table and column names come from Strapi's metadata.
 * The callers run these in their transaction (Strapi's ambient one: the Query Engine joins it).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

type Row = Record<string, any>;

/**
 * Bound parameters per statement: SQLite (better-sqlite3) allows 32,766, PostgreSQL 65,535. Rows
 * through the Query Engine stay under SQLite's compound-select limit too (the dialect's batch
 * insert size): knex writes SQLite's multi-row inserts as a union of selects.
 */
const MAX_PARAMETERS = 30000;
const rowsPerStatement = (rows: Row[]) => Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, Object.keys(rows[0]).length)));
const chunkSize = (strapi: Core.Strapi, rows: Row[]) => Math.min(strapi.db.dialect.getBatchInsertSize(), rowsPerStatement(rows));

/**
 * Rows into a table (all with the same columns), as few statements as the parameter limit allows:
 * one VALUES list per statement, which SQLite prepares and runs in half the time of knex's union
 * of selects and which holds thousands of rows, not 500 (fewer round trips on PostgreSQL).
 */
export async function insertRows(trx: Knex, table: string, rows: Row[]): Promise<void> {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]);
  const size = rowsPerStatement(rows);
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    await trx.raw(`insert into ?? (${columns.map(() => '??').join(', ')}) values ${chunk.map(() => tuple).join(', ')}`, [
      table,
      ...columns,
      ...chunk.flatMap((row) => columns.map((column) => row[column] ?? null)),
    ]);
  }
}

/**
 * Rows of a model through the Query Engine (its field names, defaults and timestamps), with their
 * ids in the order of `data`. RETURNING promises no order, but both engines hand out ids
 * increasingly in the order the rows are inserted, so sorting them restores the pairing.
 */
export async function createRows(strapi: Core.Strapi, uid: string, data: Row[]): Promise<number[]> {
  if (!data.length) return [];
  const size = chunkSize(strapi, data);
  const ids: number[] = [];
  for (let i = 0; i < data.length; i += size) {
    const chunk = data.slice(i, i + size);
    const created = (await strapi.db.query(uid as any).createMany({ data: chunk })).ids.map(Number).sort((a, b) => a - b);
    if (created.length !== chunk.length) throw new Error(`${uid}: ${chunk.length} rows written but ${created.length} ids returned.`);
    ids.push(...created);
  }
  return ids;
}

interface JoinTable {
  name: string;
  joinColumn: { name: string; referencedTable?: string };
  inverseJoinColumn: { name: string };
  on?: Record<string, string>;
  pivotColumns: string[];
  orderColumnName?: string;
  inverseOrderColumnName?: string;
  morphColumn?: { idColumn: { name: string }; typeColumn: { name: string } };
}

/**
 * Collects the links of rows and writes them in multi-row inserts (`flush`). A link's position in
 * the owner's list follows the order given; its position in the target's list comes after the
 * links the target already has, as Strapi numbers them, counted in memory: the Query Engine would
 * look the highest one up for every link, a cost growing with the target's list (quadratic at
 * 10,000 practices sharing one project).
 */
export function linkWriter(strapi: Core.Strapi, trx: Knex) {
  const pending = new Map<string, Row[]>();
  const inverseOrders = new Map<string, Map<number, number>>();
  /** Positions in the targets' lists of links taken away to be written again (kept, as Strapi keeps them). */
  const kept = new Map<string, number>();
  const keptKey = (table: string, owner: number, target: number) => `${table}|${owner}|${target}`;

  const queue = (table: string, rows: Row[]) => {
    if (!pending.has(table)) pending.set(table, []);
    pending.get(table)!.push(...rows);
  };

  async function nextInverseOrder(join: JoinTable, owner: number, target: number): Promise<number> {
    const again = kept.get(keptKey(join.name, owner, target));
    if (again !== undefined) return again;
    if (!inverseOrders.has(join.name)) {
      const rows = await trx(join.name)
        .select(join.inverseJoinColumn.name)
        .max(join.inverseOrderColumnName, { as: 'max' })
        .groupBy(join.inverseJoinColumn.name);
      inverseOrders.set(join.name, new Map(rows.map((row: Row) => [Number(row[join.inverseJoinColumn.name]), Number(row.max ?? 0)])));
    }
    const counters = inverseOrders.get(join.name)!;
    const next = (counters.get(target) ?? 0) + 1;
    counters.set(target, next);
    return next;
  }

  const metaOf = (uid: string, name: string) => (strapi.db.metadata.get(uid).attributes as Record<string, any>)[name];
  /** The polymorphic table on the file side that holds a media field's links. */
  const mediaJoin = (meta: Row): JoinTable => (strapi.db.metadata.get(meta.target).attributes as any)[meta.morphBy].joinTable;

  /** The links of row `owner` of `uid` through field `name`, to `targets` (row ids; components: rows just created), in order. */
  async function link(uid: string, name: string, owner: number, targets: number[]): Promise<void> {
    if (!targets.length) return;
    const meta = metaOf(uid, name);
    if (meta.morphBy) {
      const join = mediaJoin(meta);
      const { idColumn, typeColumn } = join.morphColumn!;
      queue(
        join.name,
        targets.map((file, k) => ({
          [join.joinColumn.name]: file,
          [idColumn.name]: owner,
          [typeColumn.name]: uid,
          field: name,
          order: k + 1,
        })),
      );
      return;
    }
    const join: JoinTable | undefined = meta.joinTable;
    if (!join) throw new Error(`${uid} "${name}" is not kept in a link table.`);
    const component = (strapi.getModel(uid as any).attributes as Row)[name];
    if (component.type === 'component') {
      // `<table>_cmps`: the field name (join.on) and the component's uid; Strapi numbers
      // repeatable items from 1 and leaves a single component unordered.
      const typeColumn = join.pivotColumns.find(
        (column) => ![join.joinColumn.name, join.inverseJoinColumn.name, ...Object.keys(join.on ?? {})].includes(column),
      )!;
      queue(
        join.name,
        targets.map((target, k) => ({
          [join.joinColumn.name]: owner,
          [join.inverseJoinColumn.name]: target,
          ...join.on,
          [typeColumn]: component.component,
          [join.orderColumnName!]: component.repeatable ? k + 1 : null,
        })),
      );
      return;
    }
    const rows: Row[] = [];
    for (const [k, target] of targets.entries()) {
      rows.push({
        [join.joinColumn.name]: owner,
        [join.inverseJoinColumn.name]: target,
        ...join.on,
        ...(join.orderColumnName ? { [join.orderColumnName]: k + 1 } : {}),
        ...(join.inverseOrderColumnName ? { [join.inverseOrderColumnName]: await nextInverseOrder(join, owner, target) } : {}),
      });
    }
    queue(join.name, rows);
  }

  /**
   * Takes away every link the rows `ids` of `uid` own (relations, media, components with their
   * own rows and links), so that they can be written again; a relation link written again to the
   * same target keeps its position in the target's list.
   */
  async function unlink(uid: string, ids: number[]): Promise<void> {
    if (!ids.length) return;
    const attributes = strapi.getModel(uid as any).attributes as Row;
    for (const [name, attribute] of Object.entries(attributes)) {
      const meta = metaOf(uid, name);
      if (attribute.type === 'media') {
        const join = mediaJoin(meta);
        const { idColumn, typeColumn } = join.morphColumn!;
        await trx(join.name).where(typeColumn.name, uid).where('field', name).whereIn(idColumn.name, ids).del();
        continue;
      }
      if (!['relation', 'component'].includes(attribute.type) || attribute.mappedBy || !meta?.joinTable) continue;
      const join: JoinTable = meta.joinTable;
      const owned = () =>
        trx(join.name)
          .whereIn(join.joinColumn.name, ids)
          .where(join.on ?? {});
      if (attribute.type === 'component') {
        const components = (await owned().select(join.inverseJoinColumn.name)).map((row: Row) => Number(row[join.inverseJoinColumn.name]));
        await unlink(attribute.component, components);
        await owned().del();
        await trx(strapi.db.metadata.get(attribute.component).tableName).whereIn('id', components).del();
        continue;
      }
      if (join.inverseOrderColumnName) {
        const rows = await owned().select(join.joinColumn.name, join.inverseJoinColumn.name, join.inverseOrderColumnName);
        for (const row of rows)
          kept.set(
            keptKey(join.name, Number(row[join.joinColumn.name]), Number(row[join.inverseJoinColumn.name])),
            Number(row[join.inverseOrderColumnName]),
          );
      }
      await owned().del();
    }
  }

  /** Writes the links collected so far. */
  async function flush(): Promise<void> {
    for (const [table, rows] of pending) await insertRows(trx, table, rows);
    pending.clear();
  }

  return { link, unlink, flush };
}
export type LinkWriter = ReturnType<typeof linkWriter>;

/**
 * After a bulk write has committed, on PostgreSQL: ANALYZE, so that the planner knows the tables'
 * new sizes instead of planning with the statistics of before (autovacuum may come late, or be
 * off). Without it, a practice read by slug at 10,000 practices went through the component join
 * table's index by field (80,000 entries) to find its two components: 2.5 ms of its statement,
 * 0.7 ms after. SQLite keeps no statistics unless asked, and its plans here do not need them.
 */
export async function refreshStatistics(strapi: Core.Strapi): Promise<void> {
  if (strapi.db.dialect.client === 'postgres') await strapi.db.connection.raw('ANALYZE');
}
