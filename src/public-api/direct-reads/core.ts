/**
 * What a GraphQL selection needs from the database, worked out from the query and the content
 * model alone: the scalar fields of each record and, for each relation, media or component
 * field, the same again for its records (the Document Service's `fields` and `populate`). Only
 * what the allow-list holds and a plain read can answer is planned: a computed field, a field
 * with arguments, a `_connection` field or anything not public is declined, and the query goes
 * to Strapi's own resolvers. Pure: selection and models in, plan out.
 */
import { Kind, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Model } from '../../content/model/core';
import { nestedTarget, type AllowList } from '../public-access/allow-list';

/** A read of records of one model: the fields to select and what to load with them. */
export interface RecordPlan {
  fields: string[];
  populate: Record<string, RecordPlan>;
  /** Lists also asked as Strapi's `<name>_connection { nodes }`. */
  connections: string[];
}

/** Strapi's name of a list's connection twin, whose only field is `nodes`. */
export const CONNECTION_SUFFIX = '_connection';

/** The query (or a part of it) is left to Strapi's resolvers; the reason says which part. */
export class Declined extends Error {}

const decline = (reason: string): never => {
  throw new Declined(reason);
};

type Fragments = Record<string, FragmentDefinitionNode>;

/** The field nodes of selection sets by field name, fragments and inline fragments spread (directives ignored: planning more than is shown costs nothing). */
export function fieldsOf(selectionSets: readonly SelectionSetNode[], fragments: Fragments): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        fields.set(name, [...(fields.get(name) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments[selection.name.value];
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  selectionSets.forEach(visit);
  return fields;
}

/** Always known to a record without selecting it. */
const IMPLICIT = new Set(['__typename']);

/**
 * The plan of a selection on records of `model`: throws Declined for anything a plain read of
 * allow-listed attributes cannot answer exactly as Strapi's resolvers would.
 */
export function planRecords(
  selectionSets: readonly SelectionSetNode[],
  model: Model,
  context: { fragments: Fragments; getModel: (uid: string) => Model; allowList: AllowList },
): RecordPlan {
  const allowed = context.allowList.get(model.uid) ?? decline(`${model.uid} is not public`);
  const plan: RecordPlan = { fields: [], populate: {}, connections: [] };
  const fields = fieldsOf(selectionSets, context.fragments);
  // `themes_connection { nodes { … } }` reads what `themes { … }` reads: planned as one list.
  for (const [name, nodes] of [...fields]) {
    const base = name.slice(0, -CONNECTION_SUFFIX.length);
    if (!name.endsWith(CONNECTION_SUFFIX) || !nestedTarget(model.attributes[base] ?? { type: '' })?.toMany) continue;
    if (nodes.some((node) => node.arguments?.length)) decline(`${model.uid}.${name} has arguments`);
    const inside = fieldsOf(
      nodes.map((node) => node.selectionSet!),
      context.fragments,
    );
    if ([...inside.keys()].some((key) => key !== 'nodes' && !IMPLICIT.has(key))) decline(`${model.uid}.${name} asks for more than nodes`);
    fields.delete(name);
    fields.set(base, [...(fields.get(base) ?? []), ...(inside.get('nodes') ?? [])]);
    plan.connections.push(base);
  }
  for (const [name, nodes] of fields) {
    if (IMPLICIT.has(name)) continue;
    const attribute = model.attributes[name];
    const access = allowed.get(name);
    // A public value: an attribute, or what every record has (a component's id, a document's documentId).
    if (access?.kind === 'scalar') {
      plan.fields.push(name);
      continue;
    }
    if (!attribute || !access) decline(`${model.uid}.${name} is not a public attribute`);
    if (nodes.some((node) => node.arguments?.length)) decline(`${model.uid}.${name} has arguments`);
    const target = nestedTarget(attribute!)!.target;
    const sets = nodes.map((node) => node.selectionSet).filter((set): set is SelectionSetNode => Boolean(set));
    plan.populate[name] = planRecords(sets, context.getModel(target), context);
  }
  return plan;
}

/** The plan as Document Service parameters (`fields`, `populate`), for a model with or without documentIds. */
export function readParams(plan: RecordPlan): { fields?: string[]; populate?: Record<string, unknown> } {
  const populate = Object.fromEntries(Object.entries(plan.populate).map(([name, sub]) => [name, readParams(sub)]));
  return {
    // No field asked (only relations, or only __typename): Strapi needs something to select.
    ...(plan.fields.length ? { fields: plan.fields } : {}),
    ...(Object.keys(populate).length ? { populate } : {}),
  };
}

/**
 * Loaded records as Strapi's resolvers answer them, at every level: a list gets its default page
 * (they paginate with no arguments), and a list asked as a connection its `{ nodes }`.
 */
export function shapeRecords(
  record: Record<string, unknown> | null,
  plan: RecordPlan,
  model: Model,
  getModel: (uid: string) => Model,
  limit: number,
) {
  if (!record) return;
  for (const [name, sub] of Object.entries(plan.populate)) {
    const nested = nestedTarget(model.attributes[name])!;
    const value = record[name];
    if (Array.isArray(value)) {
      if (nested.toMany && value.length > limit) record[name] = value.slice(0, limit);
      for (const item of record[name] as Record<string, unknown>[]) shapeRecords(item, sub, getModel(nested.target), getModel, limit);
    } else shapeRecords((value as Record<string, unknown>) ?? null, sub, getModel(nested.target), getModel, limit);
  }
  for (const name of plan.connections) record[`${name}${CONNECTION_SUFFIX}`] = { nodes: record[name] ?? [] };
}

/** Strapi's `pageInfo` of a page of `total` records read from `start`, `limit` at a time. */
export function pageInfo(total: number, start: number, limit: number) {
  const safeLimit = Math.max(limit, 1);
  if (limit === -1) return { total, page: safeLimit, pageSize: total - start, pageCount: safeLimit };
  return { total, page: Math.floor(start / safeLimit) + 1, pageSize: safeLimit, pageCount: Math.ceil(total / safeLimit) };
}
