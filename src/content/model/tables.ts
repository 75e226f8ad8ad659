/**
 * The tables behind the content model, as reads beneath Strapi's query engine need them: each
 * model's table, its columns, and how each relation, component or media field reaches its records.
 */
import type { Core } from '@strapi/strapi';

/** How a relation, component or media field reaches its records: through a link table. */
export interface Link {
  target: string;
  many: boolean;
  table: string;
  /** Link column holding the owner's id, and the one holding the target's. */
  ownerColumn: string;
  targetColumn: string;
  /** Further conditions on the link row (a component's or a media's field name, the owner's type). */
  conditions: Record<string, string>;
  orderBy: [column: string, direction: string][];
}

/** One model's table (from Strapi's database metadata). */
export interface Table {
  name: string;
  draftAndPublish: boolean;
  /** Scalar attributes: column and Strapi type. */
  columns: Record<string, { column: string; type: string }>;
  links: Record<string, Link>;
}

const readers = new WeakMap<Core.Strapi, (uid: string) => Table>();
const MANY = new Set(['oneToMany', 'manyToMany', 'morphMany']);

/**
 * Each model's table, columns and links, from Strapi's database metadata (read once per model
 * and node): what direct reads' one statement and the search index rebuild read beneath Strapi's
 * query engine.
 */
export function tablesOf(strapi: Core.Strapi): (uid: string) => Table {
  const known = readers.get(strapi);
  if (known) return known;
  const tables = new Map<string, Table>();
  const linkOf = (uid: string, name: string, attribute: any): Link | null => {
    const many = MANY.has(attribute.relation);
    const orderBy = (joinTable: any) =>
      Object.entries(joinTable.orderBy ?? {}).map(([column, direction]) => [column, String(direction)] as [string, string]);
    const plain = (on: unknown) =>
      on == null || (typeof on === 'object' && Object.values(on as object).every((value) => typeof value === 'string'));
    if (attribute.morphBy) {
      // Media: the file's side of the link holds the owner's id, type and field.
      const joinTable = (strapi.db.metadata.get(attribute.target) as any).attributes[attribute.morphBy]?.joinTable;
      if (!joinTable?.morphColumn || !plain(joinTable.on)) return null;
      const { idColumn, typeColumn } = joinTable.morphColumn;
      return {
        target: attribute.target,
        many,
        table: joinTable.name,
        ownerColumn: idColumn.name,
        targetColumn: joinTable.joinColumn.name,
        conditions: { ...joinTable.on, field: name, [typeColumn.name]: uid },
        orderBy: orderBy(joinTable),
      };
    }
    const { joinTable } = attribute;
    if (
      !joinTable ||
      !plain(joinTable.on) ||
      joinTable.joinColumn?.referencedColumn !== 'id' ||
      joinTable.inverseJoinColumn?.referencedColumn !== 'id'
    )
      return null;
    return {
      target: attribute.target,
      many,
      table: joinTable.name,
      ownerColumn: joinTable.joinColumn.name,
      targetColumn: joinTable.inverseJoinColumn.name,
      conditions: { ...joinTable.on },
      orderBy: orderBy(joinTable),
    };
  };
  const tableOf = (uid: string) => {
    let table = tables.get(uid);
    if (!table) {
      const meta = strapi.db.metadata.get(uid) as any;
      table = {
        name: meta.tableName,
        draftAndPublish: Boolean((strapi.getModel(uid as any) as any)?.options?.draftAndPublish),
        columns: {},
        links: {},
      };
      for (const [name, attribute] of Object.entries<any>(meta.attributes)) {
        if (attribute.type !== 'relation') {
          if (attribute.columnName) table.columns[name] = { column: attribute.columnName, type: attribute.type };
          continue;
        }
        const link = linkOf(uid, name, attribute);
        if (link) table.links[name] = link;
      }
      tables.set(uid, table);
    }
    return table;
  };
  readers.set(strapi, tableOf);
  return tableOf;
}
