import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ASSETS, ASSETS_PATH, ideStartScript, idePage } from './core';

/** Apollo landing-page plugin serving the offline GraphiQL page on GET /graphql (text/html). */
const ideLandingPage = (endpoint: string) => ({
  async serverWillStart() {
    return {
      async renderLandingPage() {
        return { html: idePage(endpoint) };
      },
    };
  },
});

/** For the graphql plugin's `landingPage` option: the offline IDE, or no landing page at all. */
export const graphqlLandingPage = (enabled: boolean, endpoint: string) => () =>
  enabled ? ideLandingPage(endpoint) : ApolloServerPluginLandingPageDisabled();

const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`, { paths: [process.cwd(), __dirname] }));

/** Serves the IDE's browser files from node_modules (read once, cached for a day by browsers). */
export function registerGraphqlIdeAssets(strapi: Core.Strapi): void {
  const cache = new Map<string, Buffer>();
  strapi.server.routes([
    {
      method: 'GET',
      path: `${ASSETS_PATH}/:file`,
      config: { auth: false },
      handler: async (ctx) => {
        const { file } = ctx.params as { file: string };
        if (file === 'start.js') {
          ctx.type = 'application/javascript';
          ctx.body = ideStartScript();
          return;
        }
        const asset = ASSETS[file];
        if (!asset) return ctx.notFound('No such file.');
        const [pkg, inside, type] = asset;
        if (!cache.has(file)) cache.set(file, fs.readFileSync(path.join(packageDir(pkg), inside)));
        ctx.type = type;
        ctx.set('Cache-Control', 'public, max-age=86400');
        ctx.body = cache.get(file);
      },
    },
  ]);
}
