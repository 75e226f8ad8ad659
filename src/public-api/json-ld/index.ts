import type { Core } from '@strapi/strapi';
import { JSON_LD_TYPES, toJsonLd, type JsonLdUid } from './core';
import { CONTENT_LOCALES } from '../../content/locales/core';

type Rec = Record<string, any>;
type Load = (uid: JsonLdUid, documentId: string, locale: string) => Promise<Rec | null>;

/**
 * Adds `jsonLd: JSON` (schema.org) to every public GraphQL type. It always describes the
 * published version of the record with its published relations, whoever asks, so it shows
 * nothing the anonymous API does not.
 */
export function registerJsonLdField(strapi: Core.Strapi): void {
  const uids = Object.keys(JSON_LD_TYPES) as JsonLdUid[];
  strapi
    .plugin('graphql')
    .service('extension')
    .use(({ nexus }: any) => {
      const { naming } = strapi.plugin('graphql').service('utils');
      const typeNames = uids.map((uid) => [uid, naming.getTypeName(strapi.contentType(uid))] as const);
      return {
        types: typeNames.map(([uid, typeName]) =>
          nexus.extendType({
            type: typeName,
            definition(t: any) {
              t.field('jsonLd', {
                type: 'JSON',
                description: 'This record as schema.org JSON-LD (its published version), with its licence and source.',
                async resolve(parent: Rec, _args: unknown, context: object) {
                  const locale = parent.locale ?? CONTENT_LOCALES[0].code;
                  const record = await loaderFor(strapi, context)(uid, parent.documentId, locale);
                  return record && toJsonLd(uid, record, { baseUrl: publicUrl(strapi), locale });
                },
              });
            },
          }),
        ),
        resolversConfig: Object.fromEntries(typeNames.map(([, typeName]) => [`${typeName}.jsonLd`, { auth: false }])),
      };
    });
}

/** PUBLIC_URL (`server.url`) when set, else the address Strapi computes from host and port. */
const publicUrl = (strapi: Core.Strapi): string => String(strapi.config.get('server.absoluteUrl')).replace(/\/+$/, '');

const loaders = new WeakMap<object, Load>();

/** One loader per GraphQL request, so its records are loaded together and at most once. */
function loaderFor(strapi: Core.Strapi, context: object): Load {
  let load = loaders.get(context);
  if (!load) {
    load = batchedLoader(strapi);
    loaders.set(context, load);
  }
  return load;
}

/**
 * `jsonLd` is asked for every record of a list: the records asked for in one turn of the event
 * loop are loaded with one query per type and locale, not one each.
 */
function batchedLoader(strapi: Core.Strapi): Load {
  const pending = new Map<string, { ids: Set<string>; records: Promise<Map<string, Rec>> }>();
  const loaded = new Map<string, Promise<Rec | null>>();
  return (uid, documentId, locale) => {
    const key = `${uid}|${locale}|${documentId}`;
    if (!loaded.has(key)) {
      const batchKey = `${uid}|${locale}`;
      let batch = pending.get(batchKey);
      if (!batch) {
        const ids = new Set<string>();
        const records = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
          pending.delete(batchKey);
          const found = await strapi.documents(uid).findMany({
            filters: { documentId: { $in: [...ids] } },
            locale,
            status: 'published',
            populate: JSON_LD_TYPES[uid].populate,
          } as any);
          return new Map(found.map((record: Rec) => [record.documentId, record]));
        });
        batch = { ids, records };
        pending.set(batchKey, batch);
      }
      batch.ids.add(documentId);
      loaded.set(
        key,
        batch.records.then((records) => records.get(documentId) ?? null),
      );
    }
    return loaded.get(key)!;
  };
}
