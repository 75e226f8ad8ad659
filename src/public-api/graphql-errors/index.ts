import { confirmDatabaseOutage } from '../../edge/health';
import { graphqlUnavailableBody, isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../../edge/health/core';
import { isGraphqlPath } from '../../edge/request-path/core';
import { graphqlMediaType, JSON_MEDIA_TYPE, type GraphqlMediaType } from '../../edge/response-cache/core';
import { graphqlHttpStatus, graphqlShapeOfRestError, inAnswerOrder } from './core';

/** The media type Apollo answers this request in (JSON when the client accepts neither: Apollo's 406 is JSON). */
const negotiated = (koaContext: any): GraphqlMediaType =>
  (koaContext && graphqlMediaType((types) => koaContext.accepts(types))) || JSON_MEDIA_TYPE;

/**
 * Apollo Server plugin (added through the graphql plugin's `apolloServer.plugins` config).
 * It reads the formatted errors of the response body, which carry the codes partners see, and
 * sets the status the negotiated media type calls for (./core), with the errors in a fixed
 * order; it turns a database outage (a masked 500 otherwise) into a clear 503 with Retry-After.
 */
export const httpStatusPlugin = {
  async requestDidStart() {
    let databaseUnavailable = false;
    return {
      async didEncounterErrors({ errors }: { errors: readonly any[] }) {
        databaseUnavailable ||= errors.some((e) => isDatabaseUnavailable(e.originalError ?? e));
      },
      async willSendResponse({ response, contextValue }: { response: any; contextValue: any }) {
        if (response.body?.kind !== 'single') return;
        if (databaseUnavailable) {
          // 503 for this request; the switch opens for everyone only if the database fails a probe too.
          await confirmDatabaseOutage();
          response.http.status = 503;
          response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
          response.body.singleResult = graphqlUnavailableBody();
          return;
        }
        const result = response.body.singleResult;
        if (result.errors?.length > 1) result.errors = inAnswerOrder(result.errors);
        const status = graphqlHttpStatus(result, response.http.status, negotiated(contextValue?.koaContext));
        if (status) response.http.status = status;
      },
    };
  },
};

/**
 * Koa middleware (config/middlewares.ts, `global::graphql-errors`): what is refused on the
 * GraphQL endpoint before Apollo sees the request, answered by Strapi (a bad or expired token
 * is its 401) or thrown (a body over the limit, 413), is sent in GraphQL's error shape and the
 * negotiated media type, with the same status. REST keeps its shape; faults of the server go on
 * to be masked (src/middlewares/request-id).
 */
export const graphqlRefusals =
  (graphqlEndpoint: string) =>
  async (ctx: any, next: () => Promise<unknown>): Promise<void> => {
    if (!isGraphqlPath(ctx.path, graphqlEndpoint)) return void (await next());
    try {
      await next();
    } catch (error) {
      const { status, name, message } = (error ?? {}) as { status?: unknown; name?: unknown; message?: unknown };
      if (typeof status !== 'number' || status < 400 || status >= 500) throw error;
      ctx.status = status;
      ctx.body = { data: null, error: { status, name, message } };
    }
    if (ctx.status < 400) return;
    const body = graphqlShapeOfRestError(ctx.body, ctx.status);
    if (!body) return;
    const status = ctx.status;
    ctx.body = body;
    ctx.type = `${negotiated(ctx)}; charset=utf-8`;
    ctx.status = status;
  };
