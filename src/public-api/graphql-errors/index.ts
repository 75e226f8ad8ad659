import { confirmDatabaseOutage } from '../../edge/health';
import { graphqlUnavailableBody, isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../../edge/health/core';
import { httpStatusForErrors } from './core';

/**
 * Apollo Server plugin (added through the graphql plugin's `apolloServer.plugins` config).
 * It reads the formatted errors of the response body, which carry the codes partners see,
 * and turns a database outage (a masked 500 otherwise) into a clear 503 with Retry-After.
 */
export const httpStatusPlugin = {
  async requestDidStart() {
    let databaseUnavailable = false;
    return {
      async didEncounterErrors({ errors }: { errors: readonly any[] }) {
        databaseUnavailable ||= errors.some((e) => isDatabaseUnavailable(e.originalError ?? e));
      },
      async willSendResponse({ response }: { response: any }) {
        if (response.body?.kind !== 'single') return;
        if (databaseUnavailable) {
          // 503 for this request; the switch opens for everyone only if the database fails a probe too.
          await confirmDatabaseOutage();
          response.http.status = 503;
          response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
          response.body.singleResult = graphqlUnavailableBody();
          return;
        }
        const status = httpStatusForErrors(response.body.singleResult?.errors);
        if (status && (!response.http.status || response.http.status === 200)) response.http.status = status;
      },
    };
  },
};
