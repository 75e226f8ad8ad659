import { GraphQLError, TypeInfo, getNamedType, isObjectType, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import { paginationProblem } from './core';

const badInput = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });

/** Every `pagination` argument of an operation, at any depth, with variables applied. */
function paginationArguments(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>) {
  const found: unknown[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const field = typeInfo.getFieldDef();
        if (!field || !field.args.some((arg) => arg.name === 'pagination')) return;
        const parent = typeInfo.getParentType();
        if (!parent || !isObjectType(getNamedType(parent))) return;
        found.push(getArgumentValues(field, node, variables).pagination);
      },
    })
  );
  return found;
}

/** Apollo Server plugin refusing bad pagination anywhere in a query before it runs. */
export const paginationLimitPlugin = (maxLimit: number) => ({
  async requestDidStart() {
    return {
      async didResolveOperation({ schema, document, request }: any) {
        for (const pagination of paginationArguments(schema, document, request.variables ?? {})) {
          const problem = paginationProblem(pagination as any, maxLimit);
          if (problem) throw badInput(problem);
        }
      },
    };
  },
});
