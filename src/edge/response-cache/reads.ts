import {
  TypeInfo,
  getArgumentValues,
  getNamedType,
  getVariableValues,
  isInputObjectType,
  isLeafType,
  parse,
  visit,
  visitWithTypeInfo,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * What a GraphQL read can read, found in its query before it runs, so that a write empties only
 * the kept answers that can show it. Pure (the schema and the read model are given).
 *
 * A read's keys are the content types (and media) its answer can show or filter by: the named
 * types of every field it selects, and of every filter it sends (a filter through a relation
 * reads the related type even when the answer does not show it). Anything this model does not
 * know (a custom field such as `search`, `changes`, `jsonLd` or the aggregates, a type or field
 * it has no entry for, a query that does not validate) reads EVERYTHING.
 */

/** The key every kept answer depends on; raising it empties the whole cache (writes to locales, permissions). */
export const EVERYTHING = '*';

export interface KnownType {
  /** The generation keys a value of this type reads (none: it shows only what its parent does). */
  keys: string[];
  /** The fields that read nothing beyond the type and what they return; undefined: all of them. */
  fields?: Set<string>;
}

/** GraphQL named type (output or input) -> what it reads; a type not listed reads everything. */
export type ReadModel = Map<string, KnownType>;

/** The keys a read depends on (always including EVERYTHING); undefined when it may read anything, so depends on every key. */
export function readKeys(
  schema: GraphQLSchema,
  model: ReadModel,
  query: string,
  variables: unknown,
  operationName?: string,
): string[] | undefined {
  const keys = new Set<string>([EVERYTHING]);
  try {
    const document = parse(query);
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    const operation = operations.find((o) => !operationName || o.name?.value === operationName);
    if (!operation || operation.operation !== 'query') return undefined;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], (variables ?? {}) as Record<string, unknown>);
    if (coerced.errors) return undefined;
    const add = (name: string): boolean => {
      if (name.startsWith('__')) return true;
      const known = model.get(name);
      known?.keys.forEach((key) => keys.add(key));
      return known !== undefined;
    };
    const filters = (type: GraphQLInputType, value: unknown): boolean => {
      if (value == null) return true;
      if (Array.isArray(value)) return value.every((item) => filters(type, item));
      const named = getNamedType(type);
      if (!isInputObjectType(named)) return isLeafType(named);
      if (!add(named.name)) return false;
      const fields = named.getFields();
      return Object.entries(value as Record<string, unknown>).every(([name, item]) => !fields[name] || filters(fields[name].type, item));
    };
    const typeInfo = new TypeInfo(schema);
    let known = true;
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const parent = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          if (node.name.value === '__typename') return;
          if (!parent || !field) return void (known = false);
          const allowed = parent.name.startsWith('__') || model.get(parent.name)?.fields?.has(field.name) !== false;
          // A sort through a relation (`themes.slug`) reads the related type: not followed, so anything.
          const args = getArgumentValues(field, node, coerced.coerced);
          const type = getNamedType(field.type);
          known &&=
            allowed &&
            add(parent.name) &&
            (isLeafType(type) || add(type.name)) &&
            field.args.every((arg) =>
              arg.name === 'sort' ? !JSON.stringify(args.sort ?? '').includes('.') : filters(arg.type, args[arg.name]),
            );
        },
      }),
    );
    return known ? [...keys].sort() : undefined;
  } catch {
    // Invalid variables or a document that does not parse: answered with errors, never kept.
    return undefined;
  }
}
