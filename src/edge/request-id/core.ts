/**
 * Every response carries a request id (X-Request-Id), and every logged failure names it, so that
 * a partner reporting a problem and the operator reading the log talk about the same request.
 * Internal errors reach the client only as a generic message with that id: no stack traces, no
 * SQL, no file paths. Pure.
 */
import { randomUUID } from 'crypto';

/** An id a proxy or a client sent is kept only if it is a short, plain token (it ends up in logs). */
const SANE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,99}$/;

export const requestIdFrom = (incoming: string | undefined): string => (incoming && SANE_ID.test(incoming) ? incoming : randomUUID());

export const INTERNAL_ERROR_MESSAGE = 'Internal Server Error';

export const internalErrorBody = (requestId: string) => ({
  data: null,
  error: { status: 500, name: 'InternalServerError', message: INTERNAL_ERROR_MESSAGE, details: { requestId } },
});

/**
 * Errors strapi::errors shows to the client as they are: Strapi's own client errors and any
 * error carrying a 4xx status (a malformed JSON body, a payload too large, …).
 */
export const isClientError = (error: any, clientClasses: (abstract new (...args: any[]) => unknown)[]): boolean => {
  const status = error?.status ?? error?.statusCode;
  return clientClasses.some((cls) => error instanceof cls) || (typeof status === 'number' && status >= 400 && status < 500);
};

interface FormattedError {
  message: string;
  locations?: unknown;
  path?: unknown;
  extensions?: Record<string, unknown>;
}

/**
 * GraphQL errors as the client gets them. `internal[i]` says whether error i is a fault of the
 * server (a thrown error that is not a GraphQL or Strapi client error): it keeps only its code
 * and the request id (Strapi's formatter copies the original message, which may be SQL, into
 * extensions.error). In production no error carries a stack trace.
 */
export function maskGraphqlErrors(
  errors: readonly FormattedError[],
  internal: readonly boolean[],
  requestId: string,
  production: boolean,
): FormattedError[] {
  return errors.map((error, i) => {
    if (internal[i]) return { message: INTERNAL_ERROR_MESSAGE, path: error.path, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } };
    if (!production || !error.extensions || !('stacktrace' in error.extensions)) return error;
    const { stacktrace: _hidden, ...extensions } = error.extensions;
    return { ...error, extensions };
  });
}
