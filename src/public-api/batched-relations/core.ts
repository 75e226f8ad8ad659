import { Kind, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Attribute, Model } from '../../content/model/core';

/**
 * Which relations, media and components a GraphQL list query will ask of its records, so that
 * they are loaded with the list (one statement per relation for the whole page) instead of
 * once per record by each field's resolver. Pure: GraphQL AST and content-model data only.
 */

/** Per attribute to preload, the plan for the records it brings. */
export interface PreloadPlan {
  [attribute: string]: PreloadPlan;
}

export const CONNECTION_SUFFIX = '_connection';
const MEDIA_UID = 'plugin::upload.file';

/**
 * The model of what an attribute brings when it may be preloaded, else undefined. Left to
 * Strapi's own per-record resolvers: the inverse side of a relation (a theme's practices can be
 * thousands, and only a page of them is asked for), polymorphic relations, dynamic zones and
 * `localizations`, which Strapi resolves by document rather than by link.
 */
export function preloadTarget(name: string, attribute: Attribute | undefined, getModel: (uid: string) => Model): Model | undefined {
  if (!attribute || name === 'localizations') return undefined;
  if (attribute.type === 'component') return getModel(attribute.component!);
  if (attribute.type === 'media') return getModel(MEDIA_UID);
  const regular = attribute.type === 'relation' && attribute.target && !attribute.relation!.startsWith('morph') && !attribute.mappedBy;
  return regular ? getModel(attribute.target!) : undefined;
}

/**
 * The preload plan of a selection on records of `model`. A field given arguments (filters,
 * sort, pagination) keeps Strapi's resolver, which applies them per record.
 */
export function preloadPlan(
  selection: SelectionSetNode | undefined,
  model: Model,
  getModel: (uid: string) => Model,
  fragments: Record<string, FragmentDefinitionNode>,
): PreloadPlan {
  const plan: PreloadPlan = {};
  for (const field of fieldsOf(selection, fragments)) {
    const name = field.name.value.endsWith(CONNECTION_SUFFIX) ? field.name.value.slice(0, -CONNECTION_SUFFIX.length) : field.name.value;
    const target = preloadTarget(name, model.attributes[name], getModel);
    if (!target || field.arguments?.length) continue;
    const records = field.name.value === name ? field.selectionSet : nodesSelection(field.selectionSet, fragments);
    plan[name] = mergePlans(plan[name] ?? {}, preloadPlan(records, target, getModel, fragments));
  }
  return plan;
}

/** The selection on the records of a connection (`… { nodes { … } }`). */
export function nodesSelection(
  selection: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
): SelectionSetNode {
  const selections = fieldsOf(selection, fragments)
    .filter((field) => field.name.value === 'nodes')
    .flatMap((field) => field.selectionSet?.selections ?? []);
  return { kind: Kind.SELECTION_SET, selections };
}

/** The populate parameter of the Document Service for a plan: published records only when reading published ones. */
export function populateFor(
  plan: PreloadPlan,
  model: Model,
  getModel: (uid: string) => Model,
  published: boolean,
): Record<string, unknown> {
  const populate: Record<string, unknown> = {};
  for (const [name, nested] of Object.entries(plan)) {
    const target = preloadTarget(name, model.attributes[name], getModel)!;
    const entry: Record<string, unknown> = {};
    if (Object.keys(nested).length) entry.populate = populateFor(nested, target, getModel, published);
    if (published && model.attributes[name].type === 'relation' && target.options?.draftAndPublish) {
      entry.filters = { publishedAt: { $notNull: true } };
    }
    populate[name] = Object.keys(entry).length ? entry : true;
  }
  return populate;
}

/** Calls `mark` for every loaded record with the attributes loaded on it, down the plan. */
export function markLoaded(records: unknown, plan: PreloadPlan, mark: (record: object, attributes: string[]) => void): void {
  const attributes = Object.keys(plan);
  if (!attributes.length) return;
  for (const record of [records].flat()) {
    if (!record || typeof record !== 'object') continue;
    mark(record, attributes);
    for (const name of attributes) markLoaded((record as Record<string, unknown>)[name], plan[name], mark);
  }
}

function mergePlans(a: PreloadPlan, b: PreloadPlan): PreloadPlan {
  const merged: PreloadPlan = { ...a };
  for (const [name, nested] of Object.entries(b)) merged[name] = mergePlans(merged[name] ?? {}, nested);
  return merged;
}

/** The fields of a selection, with fragments spread inline. */
function fieldsOf(selection: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>) {
  const fields: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined, seen: Set<string>) => {
    for (const node of set?.selections ?? []) {
      if (node.kind === Kind.FIELD) fields.push(node);
      else if (node.kind === Kind.INLINE_FRAGMENT) visit(node.selectionSet, seen);
      else if (!seen.has(node.name.value) && fragments[node.name.value]) {
        visit(fragments[node.name.value].selectionSet, new Set([...seen, node.name.value]));
      }
    }
  };
  visit(selection, new Set());
  return fields;
}
