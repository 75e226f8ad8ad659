import fs from 'fs';
import path from 'path';

/**
 * `/` is the partner explorer (public/index.html). strapi::public answers `/` with a redirect to
 * the admin panel and serves only named files, so the home address is handed to it as /index.html.
 */
export default (_config: unknown, { strapi }: { strapi: any }) => {
  const index = path.join(strapi.dirs.static.public, 'index.html');
  return async (ctx: any, next: () => Promise<void>) => {
    if ((ctx.method === 'GET' || ctx.method === 'HEAD') && ctx.path === '/' && fs.existsSync(index)) ctx.path = '/index.html';
    await next();
  };
};
