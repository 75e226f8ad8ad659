import { PUBLIC_UIDS } from '../../../src/content/model/core';
import type { KnowledgeBase } from '../strapi';

/** One attribute as Strapi's runtime model has it (its own additions included: localizations, createdBy, …). */
export interface Attribute {
  type: string;
  relation?: string;
  target?: string;
  component?: string;
  repeatable?: boolean;
  enum?: string[];
}

export interface ModelType {
  uid: string;
  plural?: string;
  attributes: Record<string, Attribute>;
}

/** What the generator may explore: every model Strapi runs with, and every route its router holds. */
export interface Model {
  types: Record<string, ModelType>;
  routes: { method: string; path: string }[];
  locales: string[];
}

const describeAttributes = (attributes: Record<string, any>): Record<string, Attribute> =>
  Object.fromEntries(
    Object.entries(attributes).map(([name, a]) => [
      name,
      {
        type: a.type,
        relation: a.relation,
        target: a.type === 'media' ? 'plugin::upload.file' : a.target,
        component: a.component,
        repeatable: a.repeatable,
        enum: a.enum,
      },
    ]),
  );

/** Read from the running instance, not from a list written here: what Strapi adds is explored too. */
export async function harvestModel(kb: KnowledgeBase): Promise<Model> {
  const { strapi } = kb;
  const types: Record<string, ModelType> = {};
  for (const [uid, ct] of Object.entries(strapi.contentTypes as Record<string, any>)) {
    types[uid] = { uid, plural: ct.info?.pluralName, attributes: describeAttributes(ct.attributes) };
  }
  for (const [uid, component] of Object.entries(strapi.components as Record<string, any>)) {
    types[uid] = { uid, attributes: describeAttributes(component.attributes) };
  }
  const routes = strapi.server
    .listRoutes()
    .flatMap((layer: any) =>
      (layer.methods as string[]).filter((m) => m === 'GET' || m === 'POST').map((method) => ({ method, path: String(layer.path) })),
    );
  const locales = (await strapi.db.query('plugin::i18n.locale').findMany({})).map((l: any) => l.code as string);
  return { types, routes, locales };
}

/** The content types anonymous partners are meant to read (webhook subscriptions and deliveries are not). */
export const contentApiTypes = (model: Model): ModelType[] => Object.values(model.types).filter((t) => PUBLIC_UIDS.includes(t.uid));
