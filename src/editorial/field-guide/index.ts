import type { Core } from '@strapi/strapi';
import { FIELD_GUIDE } from '../../content/labels/core';
import { HIDDEN_TYPES, guidedConfiguration, listColumns, type ViewConfiguration } from './core';

/**
 * Writes the field guide into the content manager's view configuration (labels, help texts,
 * list columns), at every start: the data file is the truth for texts; list columns that editors
 * changed since are theirs. A start that finds it all applied writes nothing.
 */
export async function applyFieldGuide(strapi: Core.Strapi): Promise<void> {
  const contentManager = strapi.plugin('content-manager');
  // The list columns each type last got from the guide, to tell editors' own changes from them.
  const store = strapi.store({ type: 'plugin', name: 'field-guide', key: 'list-columns' });
  const applied = ((await store.get()) ?? {}) as Record<string, string[]>;
  const before = JSON.stringify(applied);
  for (const model of Object.keys(FIELD_GUIDE.models)) {
    const service = contentManager.service(model.includes('::') ? 'content-types' : 'components');
    const current = (await service.findConfiguration({ uid: model })) as ViewConfiguration;
    const guide = FIELD_GUIDE.models[model].list;
    const columns = listColumns(current.layouts.list, applied[model], guide);
    await service.updateConfiguration({ uid: model }, guidedConfiguration(current, FIELD_GUIDE, model, columns));
    if (guide && columns === guide) applied[model] = guide;
  }
  if (JSON.stringify(applied) !== before) await store.set({ value: applied });
}

/** Keeps the types editors do not use out of the Content Manager (at register, before it lists them). */
export function hideUnusedTypes(strapi: Core.Strapi): void {
  for (const uid of HIDDEN_TYPES) {
    strapi.get('content-types').extend(uid, (contentType: { pluginOptions?: Record<string, unknown> }) => {
      contentType.pluginOptions = { ...contentType.pluginOptions, 'content-manager': { visible: false } };
    });
  }
}
