import { AsyncLocalStorage } from 'async_hooks';
import type { Core } from '@strapi/strapi';
import { useFieldMiddleware, type Resolver } from '../graphql-middlewares';
import { withComponents, type Model } from '../../content/model/core';
import { CONNECTION_SUFFIX, markLoaded, nodesSelection, populateFor, preloadPlan, preloadTarget, type PreloadPlan } from './core';
import { PUBLIC_UIDS } from '../../content/model/core';

/** What the root query of the running resolver will preload, read by the Document Service middleware. */
interface Pending {
  uid: string;
  plan: PreloadPlan;
  populate: Record<string, unknown>;
  used: boolean;
}

const READS = new Set(['findMany', 'findOne', 'findFirst']);

/**
 * No N+1 in GraphQL lists. A middleware on each collection query works out, from the query's
 * selection, which relations, media and components its records will be asked for; the Document
 * Service call of that query loads them with the page (Strapi's populate: one statement per
 * relation, whatever the page size); the relation fields then answer from the loaded records
 * instead of querying once per record. Fields with arguments, inverse relations and drafts keep
 * Strapi's own resolvers. `performance.batchRelations: false` (GRAPHQL_BATCH_RELATIONS=false)
 * switches it off, for the benchmark's comparison.
 */
export function registerRelationBatching(strapi: Core.Strapi): void {
  const { naming } = strapi.plugin('graphql').service('utils');
  const defaultLimit = Number(strapi.config.get('plugin::graphql.defaultLimit', 25));
  const getModel = (uid: string) => strapi.getModel(uid as any) as unknown as Model;
  const enabled = () => (strapi.config.get('performance.batchRelations', true) as boolean) !== false;
  const pending = new AsyncLocalStorage<Pending>();
  const loaded = new WeakMap<object, Set<string>>();

  // 1. Collection queries: plan the preload, run the resolver with it pending.
  for (const uid of PUBLIC_UIDS) {
    const model = getModel(uid);
    const contentType = strapi.contentType(uid as any);
    const roots: Array<[string, boolean]> = [
      [naming.getFindQueryName(contentType), false],
      [naming.getFindConnectionQueryName(contentType), true],
      [naming.getFindOneQueryName(contentType), false],
    ];
    for (const [field, connection] of roots) {
      useFieldMiddleware(strapi, [`Query.${field}`], (next: Resolver, parent, args, context, info) => {
        const published = !args?.status || String(args.status).toLowerCase() === 'published';
        if (!enabled() || !published) return next(parent, args, context, info);
        const records = info.fieldNodes.map((node: any) =>
          connection ? nodesSelection(node.selectionSet, info.fragments) : node.selectionSet,
        );
        const plan = records.reduce(
          (all: PreloadPlan, selection: any) => ({ ...all, ...preloadPlan(selection, model, getModel, info.fragments) }),
          {},
        );
        if (!Object.keys(plan).length) return next(parent, args, context, info);
        const populate = populateFor(plan, model, getModel, true);
        return pending.run({ uid, plan, populate, used: false }, () => next(parent, args, context, info));
      });
    }
  }

  // 2. The query's own Document Service read takes the populate (and only that read).
  strapi.documents.use(async (context, next) => {
    const planned = pending.getStore();
    const params = context.params as { populate?: unknown };
    if (!planned || planned.used || planned.uid !== context.uid || !READS.has(context.action) || params.populate) return next();
    planned.used = true;
    params.populate = planned.populate;
    const result = await next();
    markLoaded(result, planned.plan, (record, attributes) => loaded.set(record, new Set(attributes)));
    return result;
  });

  // 3. Relation, media and component fields answer from the loaded records.
  const objectType = (model: any) => (model.modelType === 'component' ? naming.getComponentName(model) : naming.getTypeName(model));
  for (const model of withComponents(PUBLIC_UIDS.map(getModel), getModel)) {
    for (const [name, attribute] of Object.entries(model.attributes)) {
      if (!preloadTarget(name, attribute, getModel)) continue;
      const list =
        attribute.type === 'relation' ? attribute.relation!.endsWith('Many') : Boolean(attribute.multiple || attribute.repeatable);
      const targetUid = attribute.type === 'media' ? 'plugin::upload.file' : (attribute.target ?? attribute.component);
      const answer = (connection: boolean) => (next: Resolver, parent: any, args: any, context: any, info: any) => {
        const fromLoaded = parent && loaded.get(parent)?.has(name) && !info.fieldNodes.some((node: any) => node.arguments?.length);
        if (!fromLoaded) return next(parent, args, context, info);
        const value = parent[name];
        if (!list) return value ?? null;
        // Strapi's resolvers give a relation list its default page size; so does this.
        const nodes = (value ?? []).slice(0, defaultLimit);
        return connection ? { nodes, info: { args: {}, resourceUID: targetUid } } : nodes;
      };
      const type = objectType(model);
      useFieldMiddleware(strapi, [`${type}.${name}`], answer(false));
      if (list && attribute.type !== 'component') useFieldMiddleware(strapi, [`${type}.${name}${CONNECTION_SUFFIX}`], answer(true));
    }
  }
}
