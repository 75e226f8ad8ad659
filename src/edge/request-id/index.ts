import type { Core } from '@strapi/strapi';
import { GraphQLError } from 'graphql';
import { maskGraphqlErrors } from './core';

/**
 * Apollo Server plugin: GraphQL errors masked as src/edge/request-id/core says, and internal ones
 * logged with the request id the client was given (src/middlewares/request-id sets it).
 */
export const maskedErrorsPlugin = (production: boolean) => ({
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue, errors: raw }: { response: any; contextValue: any; errors?: readonly any[] }) {
        const result = response.body?.kind === 'single' ? response.body.singleResult : undefined;
        if (!result?.errors?.length) return;
        const requestId = contextValue?.koaContext?.state?.requestId ?? 'unknown';
        const strapi = (globalThis as unknown as { strapi: Core.Strapi }).strapi;
        // Apollo formats the raw errors one by one, in order. A fault of the server is a thrown
        // error Strapi's formatter could only call INTERNAL_SERVER_ERROR.
        const internal = result.errors.map((formatted: any, i: number) => {
          const original = raw?.[i]?.originalError;
          return formatted.extensions?.code === 'INTERNAL_SERVER_ERROR' && Boolean(original) && !(original instanceof GraphQLError);
        });
        result.errors.forEach((formatted: any, i: number) => {
          if (!internal[i]) return;
          const original = raw![i].originalError;
          strapi.log.error(`[request ${requestId}] GraphQL ${formatted.path?.join('.') ?? ''}: ${original.stack ?? original.message}`);
        });
        result.errors = maskGraphqlErrors(result.errors, internal, requestId, production);
      },
    };
  },
});
