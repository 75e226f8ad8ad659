/**
 * How a direct read's operation is executed once its root fields are read: graphql-js's
 * `execute` on Strapi's schema without its resolvers, or, for an operation that comes back, the
 * same operation compiled by graphql-jit into a function that walks the records without
 * graphql-js's per-field machinery (about a tenth of an uncached list's time on the node).
 * Compiling costs more than one execution, and a partner's queries are often new texts (search
 * as you type, literals in the query): an operation is compiled once graphql-js has answered it
 * `compileAfter` times (0: never), and only when graphql-jit can be trusted with it (compilable:
 * it writes out every field with its fragments expanded, and a parser for every variable's
 * type). Both give the same data: the root fields' resolvers are the caller's (`resolveRoot`, on
 * the context), every other field is its record's property, and any error, in either, sends the
 * operation to Strapi's resolvers (./index).
 */
import {
  execute,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  getNamedType,
  isLeafType,
  typeFromAST,
} from 'graphql';
import { mapSchema, MapperKind } from '@graphql-tools/utils';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** Fields (fragments expanded) above which an operation is not compiled: a record page asks for about 80. */
export const MAX_COMPILED_FIELDS = 500;

/** What the operation's root fields resolve with: the execution's context. */
export interface RootContext {
  resolveRoot(args: Record<string, any>, info: GraphQLResolveInfo): unknown;
}

interface Seen {
  /** Times graphql-js answered it without an error. */
  answered: number;
  /** The compiled operation; null when it is not to be compiled (too large, or graphql-jit could not). */
  compiled?: CompiledQuery | null;
}

/**
 * Whether graphql-jit is given the operation: small (its fields with its fragments expanded, counted
 * up to just past MAX_COMPILED_FIELDS), and with variables of scalar and enum types only. graphql-jit
 * writes a parser for each variable's input type, following every input type it holds, and Strapi's
 * filter inputs hold one another through every relation (`GoodPracticeFiltersInput` → `themes` →
 * `ThemeFiltersInput` → …): compiling `query($f: OrganizationFiltersInput) { … }` never ended.
 */
export function compilable(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION && (operationName === undefined || definition.name?.value === operationName))
      operations.push(definition);
  }
  const plainVariables = operations.every((operation) =>
    (operation.variableDefinitions ?? []).every((variable) => {
      const type = typeFromAST(schema, variable.type);
      return type !== undefined && isLeafType(getNamedType(type));
    }),
  );
  if (!plainVariables) return false;
  let count = 0;
  const walk = (set: SelectionSetNode | undefined): void => {
    for (const selection of set?.selections ?? []) {
      if (count > MAX_COMPILED_FIELDS) return;
      if (selection.kind === Kind.FIELD) count += 1;
      walk(selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value)?.selectionSet : selection.selectionSet);
    }
  };
  for (const operation of operations) walk(operation.selectionSet);
  return count <= MAX_COMPILED_FIELDS;
}

/** Executes operations on `schema`'s types, compiling those answered `compileAfter()` times (`onCompiledRun` counts compiled runs). */
export function directExecution(compileAfter: () => number, onCompiledRun: () => void) {
  const schemas = new WeakMap<GraphQLSchema, GraphQLSchema>();
  const seen = new WeakMap<DocumentNode, Map<string, Seen>>();

  /** Strapi's schema as it is (types, scalars, enums); the root fields resolved by the context, the others left to the default (the property). */
  function stripped(schema: GraphQLSchema): GraphQLSchema {
    let kept = schemas.get(schema);
    if (!kept) {
      const root = schema.getQueryType()?.name;
      kept = mapSchema(schema, {
        [MapperKind.OBJECT_FIELD]: (field, _name, typeName) => ({
          ...field,
          resolve: typeName === root ? (_source, args, context: RootContext, info) => context.resolveRoot(args, info) : undefined,
        }),
      });
      schemas.set(schema, kept);
    }
    return kept;
  }

  return async function run(
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | undefined,
    variables: Record<string, unknown> | undefined,
    context: RootContext,
  ): Promise<ExecutionResult> {
    const ofDocument = seen.get(document) ?? new Map<string, Seen>();
    seen.set(document, ofDocument);
    const operation = ofDocument.get(operationName ?? '') ?? { answered: 0 };
    ofDocument.set(operationName ?? '', operation);
    const after = compileAfter();
    if (operation.compiled && after > 0) {
      onCompiledRun();
      return operation.compiled.query(undefined, context, variables);
    }
    const result = await execute({ schema: stripped(schema), document, operationName, variableValues: variables, contextValue: context });
    if (!result.errors?.length) operation.answered += 1;
    if (operation.compiled === undefined && after > 0 && operation.answered >= after) {
      const compiled = compilable(schema, document, operationName) ? compileQuery(stripped(schema), document, operationName) : null;
      operation.compiled = compiled && isCompiledQuery(compiled) ? compiled : null;
    }
    return result;
  };
}
