import { httpStatusForErrors } from './core';

/**
 * Apollo Server plugin (added through the graphql plugin's `apolloServer.plugins` config).
 * It reads the formatted errors of the response body: those carry the codes partners see.
 */
export const httpStatusPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }: { response: any }) {
        if (response.body?.kind !== 'single') return;
        const status = httpStatusForErrors(response.body.singleResult?.errors);
        if (status && (!response.http.status || response.http.status === 200)) response.http.status = status;
      },
    };
  },
};
