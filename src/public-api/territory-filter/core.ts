/**
 * "Within a territory": a territory given by slug, or any territory below it (a region includes
 * its provinces and municipalities). Pure: it rewrites GraphQL filters, no database lookup.
 *
 * Strapi's generated filters drop keys they do not know, so `within` is added to the territory
 * filter input and rewritten, before the resolver runs, into the filters Strapi understands: the
 * territory itself, its parent, its grandparent... up to the depth of the hierarchy.
 */
import type { Model } from '../../content/model/core';

export const WITHIN = 'within';

type Filters = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Filters =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/**
 * `{ slug: { eq } }`, `{ parent: { slug: { eq } } }`, ... one per level of the hierarchy. Each
 * also asks for a non-null slug: a territory with no parent (or a record with no territory)
 * joins as NULL, and SQL's NOT (NULL) is not true, so `not: { ... within ... }` would drop it.
 */
export function withinConditions(slug: string, depth: number): Filters[] {
  const conditions: Filters[] = [];
  let condition: Filters = { slug: { eq: slug, notNull: true } };
  for (let level = 0; level < depth; level += 1) {
    conditions.push(condition);
    condition = { parent: condition };
  }
  return conditions;
}

/**
 * Replaces every `within` key of a filters object, at any depth (inside and/or/not and nested
 * relation filters), by the conditions above. `within` exists only on the territory filter
 * input, so any object carrying it is a territory filter. A null `within` asks for nothing.
 */
export function expandWithin(filters: unknown, depth: number): unknown {
  if (Array.isArray(filters)) return filters.map((item) => expandWithin(item, depth));
  if (!isPlainObject(filters)) return filters;

  const { [WITHIN]: within, ...rest } = filters;
  const out: Filters = {};
  for (const [key, value] of Object.entries(rest)) out[key] = expandWithin(value, depth);
  if (within === undefined || within === null) return out;

  const territory = { or: withinConditions(String(within), depth) };
  if (out.or === undefined) return { ...out, ...territory };
  // Both must hold: the caller's own `or` and the territory's, so they meet under `and`.
  const { or, and, ...others } = out;
  const clauses = Array.isArray(and) ? and : and === undefined ? [] : [and];
  return { ...others, and: [...clauses, { or }, territory] };
}

/** Strapi's GraphQL names (its `naming` utils), so that this stays pure. */
export interface GraphqlNaming {
  objectType(model: Model): string;
  findQuery(model: Model): string;
  findConnectionQuery(model: Model): string;
}

/**
 * Every GraphQL field of these types that takes `filters`, as `Type.field`: the collection
 * queries (and their `_connection` variants), the to-many relation fields (and theirs) and the
 * repeatable components (a project's partners filtered by their organization's territory).
 */
export function filteredFields(models: Model[], naming: GraphqlNaming): string[] {
  const paths: string[] = [];
  for (const model of models) {
    if (model.modelType === 'contentType' && model.kind === 'collectionType') {
      paths.push(`Query.${naming.findQuery(model)}`, `Query.${naming.findConnectionQuery(model)}`);
    }
    const type = naming.objectType(model);
    for (const [name, attribute] of Object.entries(model.attributes)) {
      const toMany = attribute.type === 'relation' && attribute.relation!.endsWith('Many') && !attribute.relation!.startsWith('morph');
      if (toMany) paths.push(`${type}.${name}`, `${type}.${name}_connection`);
      if (attribute.type === 'component' && attribute.repeatable) paths.push(`${type}.${name}`);
    }
  }
  return paths;
}
