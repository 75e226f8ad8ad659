/**
 * What a client may ask of a read (REST and GraphQL `filters`, REST `fields`, and both inside a
 * REST `populate`), checked before Strapi's query builder sees it. A field named after an
 * Object.prototype member (`fields[0]=__proto__`) passes Strapi's own validation and reaches
 * the SQL. Values must also suit their field: PostgreSQL refuses a NUL character, a number out of
 * an integer column's range, a word compared with a number or a date, or LIKE on a number, and
 * Strapi passes that refusal on as a 500. Strapi's database layer throws
 * plain errors (a 500) on shapes it cannot handle, among them `not` inside a relation filter
 * ("Undefined attribute level operator"), `and`/`or` inside a field filter, field operators at
 * the top level, or a filter that is not an object. Each of these becomes a 400 that says what to
 * write instead. The rules mirror Strapi 5's where-processing. Pure.
 */
import type { Attributes } from '../../content/model/core';

export type AttributesOf = (uid: string) => Attributes | undefined;

const GROUP = new Set(['$and', '$or']);
/** Field operators a client may use ($jsonSupersetOf is internal to Strapi and PostgreSQL-only). */
export const FIELD_OPERATORS = new Set([
  '$not',
  '$in',
  '$notIn',
  '$eq',
  '$eqi',
  '$ne',
  '$nei',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$null',
  '$notNull',
  '$between',
  '$startsWith',
  '$endsWith',
  '$startsWithi',
  '$endsWithi',
  '$contains',
  '$notContains',
  '$containsi',
  '$notContainsi',
]);
/** Operators whose value is cast to the field's type (a bare value means $eq). */
const CAST = new Set(['$eq', '$ne', '$in', '$notIn', '$gt', '$gte', '$lt', '$lte', '$between']);
/** Operators that compare text (LIKE, lower()). */
const TEXT = new Set([
  '$eqi',
  '$nei',
  '$startsWith',
  '$endsWith',
  '$startsWithi',
  '$endsWithi',
  '$contains',
  '$notContains',
  '$containsi',
  '$notContainsi',
]);
const INT32 = 2147483647;
const NUMERIC_TYPES = new Set(['integer', 'biginteger', 'float', 'decimal', 'increments']);
const TEMPORAL_TYPES = new Set(['date', 'datetime', 'timestamp', 'time']);
const isOperatorKey = (key: string) => key.startsWith('$');
const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
const name = (key: string) => key.replace(/^\$/, '');

export class QueryProblem extends Error {}
const fail = (path: string[], message: string): never => {
  throw new QueryProblem(`${path.join('.')}: ${message}`);
};

function checkWhere(where: unknown, uid: string, attributesOf: AttributesOf, path: string[]): void {
  if (Array.isArray(where)) return where.forEach((sub, i) => checkWhere(sub, uid, attributesOf, [...path, String(i)]));
  if (!isRecord(where)) fail(path, 'must be an object of fields and operators.');
  const attributes = attributesOf(uid) ?? {};
  for (const [key, value] of Object.entries(where as Record<string, unknown>)) {
    const at = [...path, key];
    if (GROUP.has(key)) {
      if (!Array.isArray(value)) fail(at, `${name(key)} takes a list of filters (in a query string at most 20, numbered from 0).`);
      (value as unknown[]).forEach((sub, i) => {
        if (!isRecord(sub)) fail([...at, String(i)], 'must be an object of fields and operators.');
        checkWhere(sub, uid, attributesOf, [...at, String(i)]);
      });
    } else if (key === '$not') {
      checkWhere(value, uid, attributesOf, at);
    } else if (isOperatorKey(key)) {
      fail(at, `${name(key)} must be applied to a field (e.g. { title: { ${name(key)}: … } }); only and, or and not combine filters.`);
    } else {
      const attribute = hasOwn(attributes, key) ? attributes[key] : undefined;
      if (!attribute) continue; // unknown fields are refused by Strapi's own query validation
      if (attribute.type === 'relation' && attribute.target) checkRelation(value, attribute.target, attributesOf, at);
      else checkField(value, at, attribute.type);
    }
  }
}

function checkRelation(value: unknown, target: string, attributesOf: AttributesOf, path: string[]): void {
  if (!isRecord(value)) return checkValues(value, path, 'increments'); // an id
  const keys = Object.keys(value);
  const operators = keys.filter(isOperatorKey);
  if (operators.includes('$not')) {
    fail(
      path,
      `not inside a relation filter is not supported; put it around the relation instead: { not: { ${path[path.length - 1]}: { … } } }.`,
    );
  }
  if (operators.length === 0) return checkWhere(value, target, attributesOf, path);
  if (operators.length !== keys.length || operators.length > 1) {
    fail(path, 'a relation filter takes either fields of the related type or one operator on its id, not both.');
  }
  const [operator] = operators;
  if (GROUP.has(operator)) return checkWhere(value, target, attributesOf, path);
  checkOperator(operator, value[operator], path, 'increments');
}

function checkOperator(operator: string, value: unknown, path: string[], type: string): void {
  const at = [...path, operator];
  if (!FIELD_OPERATORS.has(operator)) fail(at, `unknown operator ${name(operator)}.`);
  if (operator === '$not') return checkField(value, at, type);
  if (isRecord(value)) fail(at, `${name(operator)} takes a value or a list of values, not an object.`);
  if (Array.isArray(value) && value.some((v) => typeof v === 'object' && v !== null)) fail(at, `${name(operator)} takes plain values.`);
  if (operator === '$between' && (!Array.isArray(value) || value.length !== 2)) fail(at, 'between takes a list of two values.');
  if (TEXT.has(operator) && (NUMERIC_TYPES.has(type) || TEMPORAL_TYPES.has(type) || type === 'boolean')) {
    fail(at, `${name(operator)} compares text; this field is of type ${type}.`);
  }
  if (CAST.has(operator)) checkValues(value, at, type);
  else checkNoNul(value, at);
}

/** Text a database can hold: PostgreSQL refuses the NUL character (also in a documentId). */
export const checkNoNul = (value: unknown, path: string[]) => {
  for (const v of Array.isArray(value) ? value : [value]) {
    if (typeof v === 'string' && v.includes('\u0000')) fail(path, 'text may not contain the NUL character.');
  }
};

/** One value (or a list) compared with a field of this type. */
function checkValues(value: unknown, path: string[], type: string): void {
  checkNoNul(value, path);
  for (const v of Array.isArray(value) ? value : [value]) {
    if (v === null || v === undefined) continue;
    // GraphQL's DateTime scalar hands over Date objects; an invalid one has no ISO form.
    const text = v instanceof Date ? (Number.isNaN(v.getTime()) ? '' : v.toISOString()) : String(v).trim();
    const number = typeof v === 'number' ? v : text === '' ? NaN : Number(text);
    if ((type === 'integer' || type === 'increments') && !(Number.isInteger(number) && Math.abs(number) <= INT32)) {
      fail(path, `${JSON.stringify(v)} is not ${type === 'increments' ? 'an id' : 'an integer'} (whole numbers up to ${INT32}).`);
    }
    if (type === 'biginteger' && !/^-?\d{1,18}$/.test(text)) fail(path, `${JSON.stringify(v)} is not an integer.`);
    if ((type === 'float' || type === 'decimal') && !Number.isFinite(number)) fail(path, `${JSON.stringify(v)} is not a number.`);
    if (type === 'date' && !(/^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text))))
      fail(path, `${JSON.stringify(v)} is not a date (YYYY-MM-DD).`);
    if ((type === 'datetime' || type === 'timestamp') && !(/^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text)))) {
      fail(path, `${JSON.stringify(v)} is not a date and time (ISO 8601).`);
    }
    if (type === 'time' && !/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?$/.test(text))
      fail(path, `${JSON.stringify(v)} is not a time (HH:mm:ss).`);
  }
}

function checkField(value: unknown, path: string[], type: string): void {
  if (Array.isArray(value)) {
    if (value.some((v) => typeof v === 'object' && v !== null)) fail(path, 'a list of values must hold plain values.');
    return checkValues(value, path, type);
  }
  if (!isRecord(value)) return checkValues(value, path, type); // a plain value: equality
  for (const [operator, operand] of Object.entries(value)) {
    if (!isOperatorKey(operator) || GROUP.has(operator)) {
      fail(
        [...path, operator],
        GROUP.has(operator)
          ? `${name(operator)} cannot be used inside a field; combine whole filters instead: { ${name(operator)}: [{ ${path[path.length - 1]}: … }, …] }.`
          : `"${operator}" is not an operator (eq, ne, in, contains, …).`,
      );
    }
    checkOperator(operator, operand, path, type);
  }
}

/** Throws a QueryProblem (a client error) for filters Strapi cannot run. */
export function checkFilters(filters: unknown, uid: string, attributesOf: AttributesOf): void {
  if (filters === undefined || filters === null) return;
  checkWhere(filters, uid, attributesOf, ['filters']);
}

/** `fields`: names of the type's own attributes. */
export function checkFields(fields: unknown, attributes: Attributes, path = 'fields'): void {
  if (fields === undefined || fields === null || fields === '*') return;
  for (const field of Array.isArray(fields) ? fields : [fields]) {
    if (typeof field !== 'string' || !hasOwn(attributes, field))
      throw new QueryProblem(`${path}: ${JSON.stringify(field)} is not a field of this type.`);
  }
}

/** The filters and fields inside a REST populate ({ themes: { filters, fields, populate } }). */
export function checkPopulate(populate: unknown, uid: string, attributesOf: AttributesOf, path: string[] = ['populate']): void {
  if (!isRecord(populate)) return;
  const attributes = attributesOf(uid) ?? {};
  for (const [key, value] of Object.entries(populate)) {
    const target = hasOwn(attributes, key) ? attributes[key].target : undefined;
    if (!isRecord(value) || !target) continue;
    const at = [...path, key].join('.');
    try {
      checkFilters(value.filters, target, attributesOf);
    } catch (error) {
      throw error instanceof QueryProblem ? new QueryProblem(`${at}.${error.message}`) : error;
    }
    checkFields(value.fields, attributesOf(target) ?? {}, `${at}.fields`);
    checkPopulate(value.populate, target, attributesOf, [...path, key, 'populate']);
  }
}
