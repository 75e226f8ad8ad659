import { httpStatusForErrors } from './core';

/** Apollo Server plugin (added through the graphql plugin's `apolloServer.plugins` config). */
export const httpStatusPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, errors }: { response: any; errors?: readonly any[] }) {
        const body = response.body;
        const all = errors ?? (body?.kind === 'single' ? body.singleResult?.errors : undefined);
        const status = httpStatusForErrors(all);
        if (status && (!response.http.status || response.http.status === 200)) response.http.status = status;
      },
    };
  },
};
