/**
 * Every response carries a request id (X-Request-Id), and every logged failure names it, so that
 * a partner reporting a problem and the operator reading the log talk about the same request.
 * Internal errors reach the client only as a generic message with that id: no stack traces, no
 * SQL, no file paths. Pure.
 */
import { randomUUID } from 'crypto';

/** An id a proxy or a client sent is kept only if it is a short, plain token (it ends up in logs). */
const SANE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,99}$/;

export const requestIdFrom = (incoming: string | undefined): string =>
  incoming && SANE_ID.test(incoming) ? incoming : randomUUID();

export const INTERNAL_ERROR_MESSAGE = 'Internal Server Error';

export const internalErrorBody = (requestId: string) => ({
  data: null,
  error: { status: 500, name: 'InternalServerError', message: INTERNAL_ERROR_MESSAGE, details: { requestId } },
});

/** Errors whose message Strapi's error middleware shows to the client as it is (4xx, deliberate). */
export const isExposedError = (error: any, exposedClasses: Function[]): boolean =>
  exposedClasses.some((cls) => error instanceof cls) || (typeof error?.status === 'number' && error.status < 500 && error.expose === true);

interface FormattedError {
  message: string;
  locations?: unknown;
  path?: unknown;
  extensions?: Record<string, unknown>;
}

/**
 * GraphQL errors as the client gets them: an internal error keeps only its code and the request
 * id (Strapi's formatter copies the original error's message, which may be SQL, into
 * extensions.error); in production no error carries a stack trace.
 */
export const isInternalGraphqlError = (error: FormattedError) => {
  const code = error.extensions?.code;
  return code === undefined || code === 'INTERNAL_SERVER_ERROR';
};

export function maskGraphqlErrors(errors: readonly FormattedError[], requestId: string, production: boolean): FormattedError[] {
  return errors.map((error) => {
    if (isInternalGraphqlError(error)) {
      return { message: INTERNAL_ERROR_MESSAGE, path: error.path, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } };
    }
    if (!production || !error.extensions || !('stacktrace' in error.extensions)) return error;
    const { stacktrace: _hidden, ...extensions } = error.extensions;
    return { ...error, extensions };
  });
}
