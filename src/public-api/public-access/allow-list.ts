/**
 * What an anonymous read may name: public scalar fields, components (their public fields),
 * relations to public types and media files, with the documented operators, inside and/or/not,
 * in filters, sort, populate and fields. Everything else is refused, whatever it is: the list
 * is generated from the content model, so a Strapi feature nobody knew about stays out.
 * Left out on purpose: private attributes (consent flags, curation, e-mails), relations to
 * non-public models (createdBy/updatedBy, a file's folder), polymorphic relations (a file's
 * `related` lists every record linking it, drafts included) and `localizations`, which Strapi
 * joins by document: the draft and every locale, published or not. Publication-state arguments
 * (`publicationFilter`, `hasPublishedVersion`) tell which records have unpublished versions.
 * Populate leaves out what is not on the list (see allowedPopulate); anything else is refused.
 * Pure: models in, decisions out.
 */
import type { Attribute, Model } from '../../content/model/core';
import { FIELD_OPERATORS } from '../../edge/query-params/core';

/** Strapi's media files: public as far as their own fields go. */
export const MEDIA_UID = 'plugin::upload.file';
/** Arguments that select records by their publication history rather than their content. */
export const PUBLICATION_ARGUMENTS = ['publicationFilter', 'hasPublishedVersion'] as const;
/** Joined by document rather than by link: drafts and unpublished locales included. */
const LOCALIZATIONS = 'localizations';
/** Filterable on every record without being an attribute of the model. */
const IMPLICIT_SCALARS = ['id', 'documentId'];

/** What an attribute offers anonymous callers: a value, or records of another model to go into. */
export type Allowed = { kind: 'scalar' } | { kind: 'nested'; target: string };
/** Per model uid, the attributes anonymous callers may name. */
export type AllowList = Map<string, Map<string, Allowed>>;

export class NotAllowed extends Error {}

/** The one wording of a refusal, naming what was asked for. */
export const notAllowed = (what: string) =>
  `${what}: not available without an API token. Anonymous reads may name public fields, components and relations between public types only (see the partner guide).`;

const without = (path: string[]): never => {
  throw new NotAllowed(notAllowed(path.join('.')));
};

/** Whether an attribute leads to records (a relation, media or a component), and where. */
export function nestedTarget(attribute: Attribute): { target: string; toMany: boolean } | undefined {
  if (attribute.type === 'media') return { target: MEDIA_UID, toMany: Boolean(attribute.multiple) };
  if (attribute.type === 'component') return { target: attribute.component!, toMany: Boolean(attribute.repeatable) };
  if (attribute.type === 'relation') return { target: attribute.target ?? '', toMany: Boolean(attribute.relation?.endsWith('Many')) };
  return undefined;
}

const isScalar = (attribute: Attribute) => !['relation', 'media', 'component', 'dynamiczone'].includes(attribute.type);

/**
 * The allow-list of these models: the public content types, the media file model and every
 * component they use (withComponents). A relation is public when its target is one of them.
 */
export function buildAllowList(models: Model[]): AllowList {
  const known = new Set(models.map((model) => model.uid));
  const list: AllowList = new Map();
  for (const model of models) {
    const allowed = new Map<string, Allowed>(IMPLICIT_SCALARS.map((name) => [name, { kind: 'scalar' }]));
    for (const [name, attribute] of Object.entries(model.attributes)) {
      if (attribute.private || name === LOCALIZATIONS || attribute.relation?.startsWith('morph')) continue;
      if (isScalar(attribute)) allowed.set(name, { kind: 'scalar' });
      const nested = nestedTarget(attribute);
      if (nested && known.has(nested.target)) allowed.set(name, { kind: 'nested', target: nested.target });
    }
    list.set(model.uid, allowed);
  }
  return list;
}

/**
 * Attributes a GraphQL type shows (not private) that anonymous callers may not reach: their
 * fields are refused at request time, so that the one schema serves tokens and anonymous
 * callers alike.
 */
export function refusedRelations(model: Model, list: AllowList): string[] {
  const allowed = list.get(model.uid);
  return Object.entries(model.attributes)
    .filter(([name, attribute]) => !attribute.private && nestedTarget(attribute) && !allowed?.has(name))
    .map(([name]) => name);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

function attributeOf(list: AllowList, uid: string, name: string, path: string[]): Allowed {
  return list.get(uid)?.get(name) ?? without(path);
}

function checkOperator(operator: string, path: string[]): void {
  if (!FIELD_OPERATORS.has(operator)) without(path);
}

/** Filters (Strapi's form: $-operators) on records of `uid`. Shapes Strapi cannot run are left to src/edge/query-params. */
function checkWhere(where: unknown, uid: string, list: AllowList, path: string[]): void {
  if (Array.isArray(where)) return where.forEach((sub, i) => checkWhere(sub, uid, list, [...path, String(i)]));
  if (!isRecord(where)) return;
  for (const [key, value] of Object.entries(where)) {
    const at = [...path, key];
    if (key === '$and' || key === '$or' || key === '$not') checkWhere(value, uid, list, at);
    else if (key.startsWith('$'))
      checkOperator(key, at); // on a relation: compares its id
    else {
      const allowed = attributeOf(list, uid, key, at);
      if (allowed.kind === 'nested') checkWhere(value, allowed.target, list, at);
      else checkValue(value, at);
    }
  }
}

/** A scalar field's condition: a value, a list of values, or documented operators. */
function checkValue(value: unknown, path: string[]): void {
  if (!isRecord(value)) return;
  for (const [operator, operand] of Object.entries(value)) {
    checkOperator(operator, [...path, operator]);
    if (operator === '$not') checkValue(operand, [...path, operator]);
  }
}

/** `title`, `title:desc`, `themes.name:asc`, `a,b`, `{ title: 'asc' }`, `{ themes: { name: 'desc' } }`, or a list of these. */
function checkSort(sort: unknown, uid: string, list: AllowList, path: string[]): void {
  if (Array.isArray(sort)) return sort.forEach((item, i) => checkSort(item, uid, list, [...path, String(i)]));
  if (typeof sort === 'string') {
    for (const part of sort.split(',')) {
      const names = part.split(':')[0].trim().split('.');
      let model = uid;
      names.forEach((name, i) => {
        const allowed = attributeOf(list, model, name, [...path, ...names.slice(0, i + 1)]);
        if (allowed.kind === 'nested') model = allowed.target;
      });
    }
  } else if (isRecord(sort)) {
    for (const [name, order] of Object.entries(sort)) {
      const allowed = attributeOf(list, uid, name, [...path, name]);
      if (allowed.kind === 'nested') checkSort(order, allowed.target, list, [...path, name]);
    }
  }
}

/** `fields`: public scalar fields of the model ('*' for all of them). */
function checkFields(fields: unknown, uid: string, list: AllowList, path: string[]): void {
  const names = typeof fields === 'string' ? fields.split(',') : Array.isArray(fields) ? fields : [];
  for (const name of names) {
    if (name === '*') continue;
    const field = String(name).trim();
    if (attributeOf(list, uid, field, [...path, field]).kind !== 'scalar') without([...path, field]);
  }
}

/** Every public relation, media and component of the model: what `*` populates for anonymous callers. */
function everyNested(uid: string, list: AllowList): Record<string, true> {
  const nested = [...(list.get(uid) ?? [])].filter(([, allowed]) => allowed.kind === 'nested');
  return Object.fromEntries(nested.map(([name]) => [name, true as const]));
}

/** The model a dotted populate path (`agenda.speakers`) leads to, if every step is public. */
function populatePath(dotted: string, uid: string, list: AllowList): string | undefined {
  let model: string | undefined = uid;
  for (const name of dotted.trim().split('.')) {
    const allowed: Allowed | undefined = model === undefined ? undefined : list.get(model)?.get(name);
    model = allowed?.kind === 'nested' ? allowed.target : undefined;
  }
  return model;
}

/**
 * `populate` in any of Strapi's forms, without what anonymous callers may not reach. Left out
 * rather than refused: Strapi's REST layer spells `*` out before the document service sees it,
 * `localizations` and a file's `related` included, so a refusal could not tell `*` from a name.
 * What stays is checked like a read of its own (its filters, sort and fields).
 */
function allowedPopulate(populate: unknown, uid: string, list: AllowList, path: string[]): unknown {
  if (populate === '*' || populate === true) return everyNested(uid, list);
  if (typeof populate === 'string' || Array.isArray(populate)) {
    const paths = (Array.isArray(populate) ? populate : [populate]).flatMap((item) => String(item).split(','));
    if (paths.includes('*')) return everyNested(uid, list);
    const kept = paths.filter((dotted) => populatePath(dotted, uid, list) !== undefined);
    return kept.length === paths.length ? populate : kept;
  }
  if (!isRecord(populate)) return populate;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(populate)) {
    const allowed = list.get(uid)?.get(name);
    if (allowed?.kind !== 'nested') continue;
    out[name] = isRecord(value) ? allowedRead(value, allowed.target, list, [...path, name]) : value;
  }
  return out;
}

/** A Document Service read's parameters (or a populate entry's), checked, with populate cut to the list. */
function allowedRead(params: Record<string, unknown>, uid: string, list: AllowList, path: string[]): Record<string, unknown> {
  for (const name of [...PUBLICATION_ARGUMENTS, 'on']) {
    if (params[name] !== undefined && params[name] !== null) without([...path, name]);
  }
  checkWhere(params.filters, uid, list, [...path, 'filters']);
  checkSort(params.sort, uid, list, [...path, 'sort']);
  checkFields(params.fields, uid, list, [...path, 'fields']);
  if (params.populate === undefined || params.populate === null) return params;
  const populate = allowedPopulate(params.populate, uid, list, [...path, 'populate']);
  return { ...params, populate };
}

/**
 * The parameters of an anonymous read of `uid` (Strapi's Document Service form: the REST query,
 * or GraphQL arguments after Strapi's transformation), with populate cut to the list. Throws
 * NotAllowed, naming the parameter, for anything the allow-list does not hold.
 */
export function anonymousRead<P extends Record<string, unknown>>(params: P, uid: string, list: AllowList): P {
  return allowedRead(params, uid, list, []) as P;
}
