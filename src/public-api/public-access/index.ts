import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { isPublicCaller, publicRead, publicReadActions } from './core';
import {
  anonymousRead,
  buildAllowList,
  MEDIA_UID,
  nestedTarget,
  NotAllowed,
  notAllowed,
  PUBLICATION_ARGUMENTS,
  refusedRelations,
} from './allow-list';
import { useFieldMiddleware } from '../graphql-middlewares';
import { checkNestedListFilters } from '../../edge/query-params';
import { CONTENT_LOCALES } from '../../content/locales/core';
import { PUBLIC_UIDS, READ_ACTIONS, withComponents, type Model } from '../../content/model/core';

const PERMISSION = 'plugin::users-permissions.permission';
const ROLE = 'plugin::users-permissions.role';

/**
 * Sets, idempotently, what the anonymous role may do: find and findOne on the public types,
 * nothing else (anything else a previous version or a click in the admin granted is removed).
 * End-user self-registration is switched off: there is nothing for end users to do here.
 */
export async function grantPublicRead(strapi: Core.Strapi): Promise<void> {
  const role = await strapi.db.query(ROLE).findOne({ where: { type: 'public' } });
  if (!role) throw new Error('users-permissions public role is missing');
  const wanted = new Set(publicReadActions());
  const current = await strapi.db.query(PERMISSION).findMany({ where: { role: role.id }, select: ['id', 'action'] });
  const have = new Set(current.map((p) => p.action));
  const extra = current.filter((p) => !wanted.has(p.action)).map((p) => p.id);
  if (extra.length) await strapi.db.query(PERMISSION).deleteMany({ where: { id: { $in: extra } } });
  for (const action of wanted) {
    if (!have.has(action)) await strapi.db.query(PERMISSION).create({ data: { action, role: role.id } });
  }

  const store = strapi.store({ type: 'plugin', name: 'users-permissions', key: 'advanced' });
  const advanced = ((await store.get()) as Record<string, unknown>) ?? {};
  if (advanced.allow_register !== false) await store.set({ value: { ...advanced, allow_register: false } });
}

/** What the allow-list (./allow-list) is generated from: the public types, media files and the components they use. */
export function publicModels(strapi: Core.Strapi): Model[] {
  const getModel = (uid: string) => strapi.getModel(uid as any) as unknown as Model;
  return withComponents([...PUBLIC_UIDS, MEDIA_UID].map(getModel), getModel);
}

const anonymousCaller = (strapi: Core.Strapi) => isPublicCaller(strapi.requestContext.get()?.state);

function refuseNotAllowed<T>(read: () => T, prefix = ''): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof NotAllowed) throw new errors.ValidationError(`${prefix}${error.message}`);
    throw error;
  }
}

/**
 * Strapi's content API lets any caller allowed to `find` ask for drafts (`status`), and the
 * document service itself defaults to drafts. For public callers every read is forced to
 * published content, an explicit request for drafts is refused with a 403, and an unknown
 * locale with a 400 (Strapi would answer an empty list).
 */
export function registerDraftGuard(strapi: Core.Strapi): void {
  const guarded = new Set(PUBLIC_UIDS);
  const locales = CONTENT_LOCALES.map((locale) => locale.code);
  strapi.documents.use(async (context, next) => {
    if (READ_ACTIONS.has(context.action) && guarded.has(context.uid) && anonymousCaller(strapi)) {
      const decision = publicRead(context.params as Record<string, unknown>, locales);
      if ('refusal' in decision) {
        throw decision.refusal === 'forbidden' ? new errors.ForbiddenError(decision.message) : new errors.ValidationError(decision.message);
      }
      context.params = decision.params as typeof context.params;
    }
    return next();
  });
}

/**
 * What an anonymous read names (filters, sort, fields, populate) must be on the allow-list. This
 * Document Service middleware sees every read of the public types, REST, GraphQL queries and our
 * own endpoints alike. Registered after the check of what Strapi cannot run (its message is the
 * more telling one for a malformed filter) and before any middleware that adds to a read.
 */
export function registerAnonymousReadCheck(strapi: Core.Strapi): void {
  const guarded = new Set(PUBLIC_UIDS);
  const allowList = buildAllowList(publicModels(strapi));
  strapi.documents.use(async (context, next) => {
    if (READ_ACTIONS.has(context.action) && guarded.has(context.uid) && anonymousCaller(strapi)) {
      context.params = refuseNotAllowed(() =>
        anonymousRead(context.params as Record<string, unknown>, context.uid, allowList),
      ) as typeof context.params;
    }
    return next();
  });
}

/**
 * GraphQL relation fields are resolved by Strapi's own loader, not the document service: their
 * `filters` and `sort` are checked here against the allow-list, as are the queries'
 * publication-state arguments, and the fields of relations
 * anonymous callers may not reach (`localizations`, a file's `related`) are refused, so that one
 * schema serves API tokens and anonymous callers alike. Registered after the territory filter,
 * whose `within` it sees expanded.
 */
export function registerAnonymousGraphqlAllowList(strapi: Core.Strapi): void {
  const { naming, mappers } = strapi.plugin('graphql').service('utils');
  const models = publicModels(strapi);
  const allowList = buildAllowList(models);
  const targetOf = new Map<string, string>(); // `Type.field` taking filters and sort → the model it lists
  const refused: string[] = [];
  for (const model of models) {
    const type = model.modelType === 'component' ? naming.getComponentName(model) : naming.getTypeName(model);
    const refusedNames = new Set(refusedRelations(model, allowList));
    for (const [name, attribute] of Object.entries(model.attributes)) {
      const nested = nestedTarget(attribute);
      if (!nested) continue;
      // Strapi's GraphQL names: to-many relations and media have a `_connection` twin (components and polymorphic relations do not).
      const hasConnection = nested.toMany && attribute.type !== 'component' && !attribute.relation?.startsWith('morph');
      const fields = [`${type}.${name}`, ...(hasConnection ? [`${type}.${name}_connection`] : [])];
      if (refusedNames.has(name)) refused.push(...fields);
      else if (nested.toMany && allowList.get(model.uid)?.has(name)) for (const field of fields) targetOf.set(field, nested.target);
    }
  }

  // Strapi turns `hasPublishedVersion` into `publicationFilter` before the document service: refused here under the name asked.
  const queries = PUBLIC_UIDS.map((uid) => strapi.contentType(uid as any)).flatMap((contentType) =>
    [naming.getFindQueryName(contentType), naming.getFindConnectionQueryName(contentType), naming.getFindOneQueryName(contentType)].map(
      (name) => `Query.${name}`,
    ),
  );
  useFieldMiddleware(strapi, queries, (next, parent, args, context, info) => {
    const asked = PUBLICATION_ARGUMENTS.find((name) => args?.[name] != null);
    if (asked && anonymousCaller(strapi)) throw new errors.ValidationError(notAllowed(`${info.fieldName}(${asked})`));
    return next(parent, args, context, info);
  });
  useFieldMiddleware(strapi, refused, (next, parent, args, context, info) => {
    if (anonymousCaller(strapi)) {
      throw new errors.ValidationError(notAllowed(`${info.parentType.name}.${info.fieldName}`));
    }
    return next(parent, args, context, info);
  });
  useFieldMiddleware(strapi, [...targetOf.keys()], (next, parent, args, context, info) => {
    const field = `${info.parentType.name}.${info.fieldName}`;
    // Strapi's loader of a nested list cannot sort it through a relation (an internal error), for anyone.
    const throughRelation = [args?.sort ?? []].flat().find((entry) => String(entry).split(':')[0].includes('.'));
    if (throughRelation !== undefined) {
      throw new errors.ValidationError(
        `${field}: sort "${throughRelation}" names a field of a related record; a nested list sorts by its own fields only.`,
      );
    }
    const target = targetOf.get(field)!;
    const filters = args?.filters == null ? undefined : mappers.graphQLFiltersToStrapiQuery(args.filters, strapi.getModel(target as any));
    // Nor can it run a filter the document service would refuse (`between` one value): a 400 for anyone.
    checkNestedListFilters(strapi, filters, target);
    if (anonymousCaller(strapi) && (filters !== undefined || args?.sort != null)) {
      refuseNotAllowed(() => anonymousRead({ filters, sort: args.sort }, target, allowList), `${field}: `);
    }
    return next(parent, args, context, info);
  });
}
