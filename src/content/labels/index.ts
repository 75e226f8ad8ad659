import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { PUBLIC_UIDS, withComponents, type Model } from '../model/core';
import { labelsOf } from './core';

/** Where the explorer (public/explorer) reads its field labels. */
export const LABELS_PATH = '/explorer/labels.json';

/**
 * The labels of every public field of the public types (keyed by their REST name, as the explorer
 * names them) and of the components they use (keyed by uid), for the explorer: it shows the
 * labels the admin shows, without a copy of its own. Fixed for the life of the process.
 */
export function registerFieldLabels(strapi: Core.Strapi): void {
  const getModel = (uid: string) => strapi.getModel(uid as any) as unknown as Model & { info?: { pluralName?: string } };
  const publicFields = (model: Model) => Object.keys(model.attributes).filter((field) => !model.attributes[field].private);
  const models = withComponents(PUBLIC_UIDS.map(getModel), getModel);
  const body = JSON.stringify(
    Object.fromEntries(models.map((model) => [model.info?.pluralName ?? model.uid, labelsOf(model.uid, publicFields(model))])),
  );
  const etag = `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  strapi.server.routes([
    {
      method: 'GET',
      path: LABELS_PATH,
      config: { auth: false },
      handler: async (ctx) => {
        ctx.set('ETag', etag);
        ctx.set('Cache-Control', 'public, no-cache');
        ctx.status = 200;
        if (ctx.fresh) {
          ctx.status = 304;
          return;
        }
        ctx.type = 'application/json';
        ctx.body = body;
      },
    },
  ]);
}
