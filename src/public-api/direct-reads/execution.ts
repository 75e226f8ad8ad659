/**
 * How a direct read's operation is executed once its root fields are read: graphql-js's
 * `execute` on Strapi's schema without its resolvers, or, for an operation that comes back, the
 * same operation compiled by graphql-jit into a function that walks the records without
 * graphql-js's per-field machinery (about a tenth of an uncached list's time on the node).
 * Compiling costs more than one execution, and a partner's queries are often new texts (search
 * as you type, literals in the query): an operation is compiled once it has been executed
 * `compileAfter` times (0: never). Both give the same data: the root fields' resolvers are the
 * caller's (`resolveRoot`, on the context), every other field is its record's property, and any
 * error, in either, sends the operation to Strapi's resolvers (./index).
 */
import { execute, type DocumentNode, type ExecutionResult, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { mapSchema, MapperKind } from '@graphql-tools/utils';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** What the operation's root fields resolve with: the execution's context. */
export interface RootContext {
  resolveRoot(args: Record<string, any>, info: GraphQLResolveInfo): unknown;
}

interface Seen {
  runs: number;
  /** The compiled operation; null when graphql-jit could not compile it (executed as before). */
  compiled?: CompiledQuery | null;
}

/** Executes operations on `schema`'s types, compiling those run `compileAfter()` times or more (`onCompiledRun` counts their runs). */
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
    const operation = ofDocument.get(operationName ?? '') ?? { runs: 0 };
    ofDocument.set(operationName ?? '', operation);
    operation.runs += 1;
    const after = compileAfter();
    if (operation.compiled === undefined && after > 0 && operation.runs >= after) {
      const compiled = compileQuery(stripped(schema), document, operationName);
      operation.compiled = isCompiledQuery(compiled) ? compiled : null;
    }
    if (operation.compiled && after > 0) {
      onCompiledRun();
      return operation.compiled.query(undefined, context, variables);
    }
    return execute({ schema: stripped(schema), document, operationName, variableValues: variables, contextValue: context });
  };
}
