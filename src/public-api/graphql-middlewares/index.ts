import type { Core } from '@strapi/strapi';
import { instanceState } from '../../edge/shared-state';

export type Resolver = (parent: any, args: any, context: any, info: any) => unknown;
export type ResolverMiddleware = (next: Resolver, parent: any, args: any, context: any, info: any) => unknown;

const registries = instanceState<Map<string, ResolverMiddleware[]>>('graphql-middlewares');

/**
 * Adds a resolver middleware to GraphQL fields (`Type.field`). Strapi merges the `resolversConfig`
 * of every extension index by index, so two capabilities each giving a field a `middlewares`
 * array would overwrite each other; they all go through here and reach Strapi as one array per
 * field, in the order they were added (the first added runs first).
 */
export function useFieldMiddleware(strapi: Core.Strapi, paths: string[], middleware: ResolverMiddleware): void {
  let registry = registries.get(strapi);
  if (!registry) {
    const fields = new Map<string, ResolverMiddleware[]>();
    registries.set(strapi, (registry = fields));
    // Read when the schema is built, after every capability has registered.
    strapi
      .plugin('graphql')
      .service('extension')
      .use(() => ({
        resolversConfig: Object.fromEntries([...fields].map(([path, middlewares]) => [path, { middlewares }])),
      }));
  }
  for (const path of paths) registry.set(path, [...(registry.get(path) ?? []), middleware]);
}
