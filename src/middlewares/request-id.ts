import { errors } from '@strapi/utils';
import { internalErrorBody, isClientError, requestIdFrom } from '../edge/request-id/core';

const CLIENT_ERRORS = [errors.ApplicationError, errors.HttpError];

/**
 * Gives every request an id (the caller's X-Request-Id if it is sane, else a new one), returns it
 * in X-Request-Id, and answers an internal error with a generic 500 carrying that id after
 * logging the error with it. Sits right after strapi::errors, which formats the errors clients
 * caused; GraphQL errors are masked by the Apollo plugin in src/edge/request-id.
 */
export default (_config: unknown, { strapi }: { strapi: any }) =>
  async (ctx: any, next: () => Promise<void>) => {
    const requestId = requestIdFrom(ctx.get('x-request-id') || undefined);
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } catch (error) {
      if (isClientError(error, CLIENT_ERRORS)) throw error;
      strapi.log.error(`[request ${requestId}] ${ctx.method} ${ctx.path}: ${(error as Error)?.stack ?? error}`);
      ctx.status = 500;
      ctx.body = internalErrorBody(requestId);
      return;
    }
    // Other 5xx answers (503 during a database outage, …) name the request too.
    if (ctx.status >= 500 && ctx.body?.error && typeof ctx.body.error === 'object' && !ctx.body.error.details?.requestId) {
      ctx.body.error.details = { ...ctx.body.error.details, requestId };
    }
  };
