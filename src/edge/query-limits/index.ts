import type { Core } from '@strapi/strapi';
import { MAX_INPUT_DEPTH, filterValueProblem, inputTooDeep, nestedDeeperThan, paginationProblem } from './core';
import { analyzeOperation, refusal } from './analysis';
import { CONTENT_LOCALES } from '../../content/locales/core';
import { MemoryStore } from '../response-cache/core';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';

/** Bytes of operations (with their variables) kept as within the limits. */
const PASSED_BYTES = 1024 * 1024;

export interface QueryLimits {
  maxLimit: number;
  defaultLimit: number;
  maxCost: number;
  maxAliases: number;
  maxDirectives: number;
  /** ms an operation may run before the rest of it is refused. */
  timeoutMs: number;
}

/** Items assumed for a repeatable component (or another list) that states no page size. */
const SHORT_LIST_SIZE = 10;

/** documentId and every uid field (slug) of a type identify one record per locale. */
function uniqueFilterFields(strapi: Core.Strapi): Map<string, Set<string>> {
  const naming = strapi.plugin('graphql').service('utils').naming;
  return new Map(
    Object.values(strapi.contentTypes)
      .filter((type) => type.kind === 'collectionType')
      .map((type) => {
        const uids = Object.entries(type.attributes).filter(([, attribute]) => (attribute as { type: string }).type === 'uid');
        return [naming.getFiltersInputTypeName(type), new Set(['documentId', ...uids.map(([name]) => name)])];
      }),
  );
}

/**
 * When a running operation must be done by, kept on its context: set once the operation is known
 * and passes the limits.
 */
const DEADLINE = Symbol.for('comin40.query-limits.deadline');
type WithDeadline = { [DEADLINE]?: { at: number; timeoutMs: number } };

/**
 * Refuses the rest of an operation past its time limit. Apollo's execution checks it at every
 * field; a reader that answers an operation itself (src/public-api/direct-reads) after each read.
 */
export function checkDeadline(contextValue: object): void {
  const deadline = (contextValue as WithDeadline)[DEADLINE];
  if (deadline && Date.now() > deadline.at) {
    throw refusal(`Query took longer than the ${deadline.timeoutMs} ms limit and was stopped. Ask for less at once.`, 'QUERY_TIMEOUT', 408);
  }
}

/**
 * The plugin's check of an operation, for a reader that answers a request before Apollo does
 * (src/public-api/direct-reads/requests.ts). A property of the plugin, named: Strapi's
 * configuration copies plugin objects by their named properties.
 */
const ADMIT = 'admitOperation';
export type AdmitOperation = (
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  contextValue: object,
) => void;

/** The query limits' check of an operation, as the GraphQL server's plugins hold it; undefined when it has none. */
export function operationLimits(plugins: unknown[]): AdmitOperation | undefined {
  return (plugins.find((plugin) => (plugin as { [ADMIT]?: unknown })?.[ADMIT]) as { [ADMIT]: AdmitOperation } | undefined)?.[ADMIT];
}

/**
 * Apollo Server plugin refusing, before anything runs, operations a public API must not run:
 * variables nested too deep, bad pagination or filter values over the maximum length anywhere
 * in the query, too expensive (cost model in ./analysis), too many aliases or directives; and
 * stopping an operation that runs past the time limit.
 */
export const queryLimitsPlugin = (limits: QueryLimits) => {
  let unique: Map<string, Set<string>> | undefined;
  // The verdict depends on the operation and its variables alone, and Apollo hands the same parsed
  // operation to every request of the same text: one that passed is not analysed again for the same
  // variables (a bounded number of them; a refused one is, and is refused again).
  const passed = new MemoryStore<true>(PASSED_BYTES, (key) => 2 * key.length + 64);
  const ids = new WeakMap<object, number>();
  let nextId = 0;
  const idOf = (operation: object) => {
    let id = ids.get(operation);
    if (id === undefined) ids.set(operation, (id = nextId++));
    return id;
  };
  /** Throws the refusal of an operation over a limit; else its time limit starts. */
  const admit: AdmitOperation = (schema, document, operation, variables, contextValue) => {
    // The content model is complete once the server answers requests; read it once.
    unique ??= uniqueFilterFields(strapi);
    if (nestedDeeperThan(variables, MAX_INPUT_DEPTH)) throw refusal(inputTooDeep('Variables'));
    const key = `${idOf(operation)}\n${JSON.stringify(variables ?? {})}`;
    if (!passed.get(key)) {
      checkLimits(schema, document, operation, variables ?? {});
      passed.set(key, true);
    }
    (contextValue as WithDeadline)[DEADLINE] = { at: Date.now() + limits.timeoutMs, timeoutMs: limits.timeoutMs };
  };
  return {
    [ADMIT]: admit,
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }: any) {
          // No operation to run (an unknown operationName): Apollo answers that itself.
          if (operation) admit(schema, document, operation, request.variables, contextValue);
        },
        async executionDidStart() {
          return { willResolveField: ({ contextValue }: { contextValue: object }) => checkDeadline(contextValue) };
        },
      };
    },
  };

  /** Throws the refusal of the first limit the operation, with these variables, goes over. */
  function checkLimits(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
  ) {
    const analysis = analyzeOperation(schema, document, operation, variables, {
      defaultPageSize: limits.defaultLimit,
      shortListSize: SHORT_LIST_SIZE,
      uniqueFilterFields: unique,
      localeCount: CONTENT_LOCALES.length,
    });
    for (const pagination of analysis.paginations) {
      const problem = paginationProblem(pagination, limits.maxLimit);
      if (problem) throw refusal(problem);
    }
    for (const filters of analysis.filters) {
      const problem = filterValueProblem(filters);
      if (problem) throw refusal(problem);
    }
    if (analysis.cost > limits.maxCost) {
      throw refusal(
        `Query too expensive: its cost is ${analysis.cost}, the limit is ${limits.maxCost}. Ask for fewer nested lists or smaller page sizes (pagination: { pageSize }).`,
        'QUERY_TOO_EXPENSIVE',
      );
    }
    if (analysis.aliases > limits.maxAliases) {
      throw refusal(`Too many aliases: ${analysis.aliases}, the limit is ${limits.maxAliases}.`, 'TOO_MANY_ALIASES');
    }
    if (analysis.directives > limits.maxDirectives) {
      throw refusal(`Too many directives: ${analysis.directives}, the limit is ${limits.maxDirectives}.`, 'TOO_MANY_DIRECTIVES');
    }
  }
};
