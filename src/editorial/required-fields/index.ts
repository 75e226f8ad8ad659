import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { currentAdminUser } from '../roles';
import { FIELD_GUIDE, fieldTexts } from '../../content/labels/core';
import type { Attributes } from '../../content/model/core';
import { REQUIRED, emptyRequiredFields, pathLabel, requiredFieldsMessage } from './core';
import { PUBLIC_UIDS } from '../../content/model/core';

/**
 * Saves from the admin panel need every required field, drafts included, with the empty
 * fields marked in the form. Integrations writing drafts over the API keep Strapi's rule
 * (required at publication), which the seed and imports rely on.
 */
export function registerRequiredFieldsInAdmin(strapi: Core.Strapi): void {
  const checked = new Set(PUBLIC_UIDS);
  const component = (uid: string) => strapi.components[uid as keyof typeof strapi.components].attributes as unknown as Attributes;

  strapi.documents.use(async (context, next) => {
    if (!checked.has(context.uid) || !['create', 'update'].includes(context.action) || !currentAdminUser(strapi)) return next();
    const data = (context.params as { data?: Record<string, unknown> }).data ?? {};
    const attributes = strapi.contentType(context.uid).attributes as unknown as Attributes;
    const empty = emptyRequiredFields(attributes, component, data, context.action === 'create');
    if (empty.length === 0) return next();

    const labelOf = (model: string, field: string) => fieldTexts(FIELD_GUIDE, model, field)?.label;
    const label = (path: string[]) => pathLabel(path, context.uid, attributes, component, labelOf);
    throw new errors.ValidationError(requiredFieldsMessage(empty.map(label)), {
      errors: empty.map((path) => ({ path, message: REQUIRED, name: 'ValidationError' })),
    });
  });
}
