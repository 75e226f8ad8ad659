import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { guidedConfiguration, type FieldGuide, type ViewConfiguration } from './core';

export const readFieldGuide = (appRoot: string): FieldGuide =>
  JSON.parse(fs.readFileSync(path.join(appRoot, 'data', 'admin', 'fields.json'), 'utf8'));

/**
 * Writes the field guide into the content manager's view configuration (labels, help texts,
 * list columns), at every start: the data file is the truth, and a start that finds it already
 * applied writes nothing.
 */
export async function applyFieldGuide(strapi: Core.Strapi): Promise<void> {
  const guide = readFieldGuide(strapi.dirs.app.root);
  const contentManager = strapi.plugin('content-manager');
  for (const model of Object.keys(guide.models)) {
    const service = contentManager.service(model.includes('::') ? 'content-types' : 'components');
    const current = (await service.findConfiguration({ uid: model })) as ViewConfiguration;
    await service.updateConfiguration({ uid: model }, guidedConfiguration(current, guide, model));
  }
}
