import type { Core } from '@strapi/strapi';
import { FIELD_GUIDE } from '../../content/labels/core';
import { guidedConfiguration, type ViewConfiguration } from './core';

/**
 * Writes the field guide into the content manager's view configuration (labels, help texts,
 * list columns), at every start: the data file is the truth, and a start that finds it already
 * applied writes nothing.
 */
export async function applyFieldGuide(strapi: Core.Strapi): Promise<void> {
  const contentManager = strapi.plugin('content-manager');
  for (const model of Object.keys(FIELD_GUIDE.models)) {
    const service = contentManager.service(model.includes('::') ? 'content-types' : 'components');
    const current = (await service.findConfiguration({ uid: model })) as ViewConfiguration;
    await service.updateConfiguration({ uid: model }, guidedConfiguration(current, FIELD_GUIDE, model));
  }
}
