/**
 * Static analysis of a GraphQL operation before it runs (pure: graphql-js only): its cost, its
 * aliases and directives, and every pagination and filter it asks for.
 *
 * Cost model: every field costs 1; a list field multiplies the cost of what it selects by the
 * number of items it may return: its page size when it asks for one, else Strapi's default (25)
 * for relations, and a smaller estimate for repeatable components (an agenda, affiliations),
 * which are short editorial lists, and for any other list. A list inside a paginated object
 * (`search { items }`, `..._connection { nodes }`, `changes(first) { items }`) takes that object's page size. A filter that
 * names a unique field (`slug: { eq }`, `documentId: { in: [...] }`) selects at most that many
 * records per locale, and is counted so. Introspection fields are free: they are bounded by the
 * schema itself.
 */
import {
  GraphQLError,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import type { Pagination } from './core';

export interface OperationAnalysis {
  cost: number;
  aliases: number;
  directives: number;
  /** Every pagination asked for; null where a client sent `pagination: null`. */
  paginations: (Pagination | null)[];
  /** Every `filters` argument, with its variables filled in. */
  filters: unknown[];
}

export interface CostOptions {
  defaultPageSize: number;
  /** Items assumed for a repeatable component or another list that states no page size. */
  shortListSize: number;
  /** Fields whose value identifies one record per locale, by filters input type (`GoodPracticeFiltersInput`). */
  uniqueFilterFields?: ReadonlyMap<string, ReadonlySet<string>>;
  /** The locales a list with `locale: "*"` spans. */
  localeCount?: number;
}

type Filters = Record<string, unknown>;

/**
 * How many records per locale a filter can match at most, when it pins a unique field with `eq`
 * or `in` at its top level (or in a member of a top-level `and`); undefined when it does not.
 */
function uniqueMatches(filters: unknown, unique: ReadonlySet<string>): number | undefined {
  if (!filters || typeof filters !== 'object' || Array.isArray(filters)) return undefined;
  let bound: number | undefined;
  const narrow = (n: number | undefined) => {
    if (n !== undefined) bound = Math.min(bound ?? n, n);
  };
  for (const [key, condition] of Object.entries(filters as Filters)) {
    if (key === 'and' && Array.isArray(condition)) condition.forEach((member) => narrow(uniqueMatches(member, unique)));
    if (!unique.has(key) || !condition || typeof condition !== 'object') continue;
    const { eq, in: among } = condition as Filters;
    if (eq !== undefined && eq !== null) narrow(1);
    if (Array.isArray(among)) narrow(among.length);
  }
  return bound;
}

/** Strapi names the GraphQL types of components Component<Category><Name>. */
const isComponentType = (type: GraphQLNamedType) => type.name.startsWith('Component');

const listSize = (pagination: Pagination | undefined, options: CostOptions, paginated: boolean, item: GraphQLNamedType) => {
  const asked = pagination?.pageSize ?? pagination?.limit;
  if (typeof asked === 'number' && asked > 0) return asked;
  return paginated && !isComponentType(item) ? options.defaultPageSize : options.shortListSize;
};

export function analyzeOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  options: CostOptions,
): OperationAnalysis {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);
  }
  const result: OperationAnalysis = { cost: 0, aliases: 0, directives: 0, paginations: [], filters: [] };

  // `inherited`: the page asked by an enclosing object field, for the list inside it
  // (search { items }, goodPractices_connection { nodes }).
  const walk = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | null | undefined, inherited?: Pagination): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      result.directives += selection.directives?.length ?? 0;
      if (selection.kind === 'InlineFragment') {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        cost += walk(selection.selectionSet, type, inherited);
      } else if (selection.kind === 'FragmentSpread') {
        const fragment = fragments.get(selection.name.value);
        if (fragment) {
          result.directives += fragment.directives?.length ?? 0;
          cost += walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), inherited);
        }
      } else {
        if (selection.alias) result.aliases += 1;
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) continue;
        const field = parent.getFields()[name];
        if (!field) continue;
        const args = getArgumentValues(field, selection, variables) as { pagination?: Pagination; filters?: unknown; locale?: unknown };
        if (args.filters != null) result.filters.push(args.filters);
        const paginated = field.args.some((arg) => arg.name === 'pagination');
        if (paginated && (args.pagination === null || (args.pagination && Object.keys(args.pagination).length)))
          result.paginations.push(args.pagination);
        const item = getNamedType(field.type);
        const isList = isListType(getNullableType(field.type));
        const filtersType = field.args.find((arg) => arg.name === 'filters');
        const unique = filtersType && options.uniqueFilterFields?.get(getNamedType(filtersType.type).name);
        const matches = unique && uniqueMatches(args.filters, unique);
        // A `first: n` argument (the change feed) pages like a pageSize.
        const first = (args as { first?: unknown }).first;
        const asked = paginated ? args.pagination : typeof first === 'number' ? { pageSize: first } : inherited;
        const pagination =
          matches === undefined
            ? asked
            : {
                pageSize: Math.max(
                  1,
                  Math.min(listSize(asked, options, true, item), matches * (args.locale === '*' ? (options.localeCount ?? 1) : 1)),
                ),
              };
        const children = selection.selectionSet ? walk(selection.selectionSet, item, isList ? undefined : pagination) : 0;
        const multiplier = isList ? listSize(pagination, options, paginated || pagination !== undefined, item) : 1;
        cost += 1 + multiplier * children;
      }
    }
    return cost;
  };

  result.directives += operation.directives?.length ?? 0;
  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  result.cost = walk(operation.selectionSet, root);
  return result;
}

export const refusal = (message: string, code = 'BAD_USER_INPUT', status = 400) =>
  new GraphQLError(message, { extensions: { code, http: { status } } });
