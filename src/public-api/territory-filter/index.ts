import type { Core } from '@strapi/strapi';
import { useFieldMiddleware, type Resolver } from '../graphql-middlewares';
import { withComponents, type Model } from '../../content/model/core';
import { WITHIN, expandWithin, filteredFields } from './core';
import { PUBLIC_UIDS } from '../../content/model/core';

const TERRITORY = 'api::territory.territory';

/** How deep `within` looks: the hierarchy is as deep as the territory levels are many. */
export const depthOf = (strapi: Core.Strapi): number =>
  (strapi.contentType(TERRITORY).attributes.level as unknown as { enum: string[] }).enum.length;

/**
 * Document Service filters for the records of `uid` whose territory relation `field` lies within
 * a territory (by slug): what `within` asks over GraphQL, for readers outside it (the Atom feeds).
 */
export function withinFilters(strapi: Core.Strapi, uid: string, field: string, slug: string): Record<string, unknown> {
  const { mappers } = strapi.plugin('graphql').service('utils');
  return mappers.graphQLFiltersToStrapiQuery(expandWithin({ [field]: { [WITHIN]: slug } }, depthOf(strapi)), strapi.getModel(uid as any));
}

/** A GraphQL resolver middleware (for useFieldMiddleware) that rewrites `within` in `args.filters` before the resolver reads them. */
export function territoryWithinMiddleware(strapi: Core.Strapi) {
  const depth = depthOf(strapi);
  return (next: Resolver, parent: unknown, args: Record<string, unknown>, context: unknown, info: unknown) =>
    next(parent, args?.filters == null ? args : { ...args, filters: expandWithin(args.filters, depth) }, context, info);
}

/**
 * Adds `within: String` to the territory filters of the public GraphQL API, on every query and
 * relation field of the public types that takes filters (the field list follows the content
 * model, so a new type or relation is covered without a change here).
 */
export function registerTerritoryFilter(strapi: Core.Strapi): void {
  const { naming } = strapi.plugin('graphql').service('utils');
  const getModel = (uid: string) => strapi.getModel(uid as any) as unknown as Model;
  const models = withComponents(PUBLIC_UIDS.map(getModel), getModel);
  // The rewrite treats any object carrying `within` as a territory filter: no field may take the name.
  const clash = models.find((model) => WITHIN in model.attributes);
  if (clash) throw new Error(`${clash.uid} has an attribute "${WITHIN}", which the territory filter reserves.`);

  const fields = filteredFields(models, {
    objectType: (model) => (model.modelType === 'component' ? naming.getComponentName(model) : naming.getTypeName(model)),
    findQuery: (model) => naming.getFindQueryName(model),
    findConnectionQuery: (model) => naming.getFindConnectionQueryName(model),
  });
  useFieldMiddleware(strapi, fields, territoryWithinMiddleware(strapi));
  const filtersType = naming.getFiltersInputTypeName(strapi.contentType(TERRITORY));

  strapi
    .plugin('graphql')
    .service('extension')
    .use(({ nexus }: { nexus: any }) => ({
      types: [
        nexus.extendInputType({
          type: filtersType,
          definition(t: any) {
            t.string(WITHIN, {
              description:
                'This territory, given by slug, or any territory inside it (a region includes its provinces and municipalities).',
            });
          },
        }),
      ],
    }));
}
