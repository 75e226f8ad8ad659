import fs from 'fs';
import path from 'path';

/**
 * `/` is the partner explorer (public/index.html). strapi::public answers `/` with a redirect to
 * the admin panel and serves only named files, so the home address is handed to it as /index.html.
 */
export default (_config: unknown, { strapi }: { strapi: any }) => {
  // public/ ships with the app: looked for once, not on every visit.
  const hasExplorer = fs.existsSync(path.join(strapi.dirs.static.public, 'index.html'));
  return async (ctx: any, next: () => Promise<void>) => {
    if (hasExplorer && (ctx.method === 'GET' || ctx.method === 'HEAD') && ctx.path === '/') ctx.path = '/index.html';
    await next();
  };
};
