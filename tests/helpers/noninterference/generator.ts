import { createHash } from 'crypto';
import { encodeCursor, FEED_TYPE_NAMES } from '../../../src/public-api/change-feed/core';
import type { HiddenFacts } from './content';
import { contentApiTypes, type Model, type ModelType } from './model';
import { PUBLIC_TYPES } from '../../../src/content/model/core';
import {
  FEED_SCOPES,
  ROBOTS_PATH,
  SITEMAP_PATH,
  STATEMENTS,
  feedPath,
  recordPath,
  statementPath,
  typePath,
  type FeedScope,
} from '../../../src/content/paths/core';

/**
 * Anonymous requests generated from what the server says it offers (GraphQL introspection,
 * Strapi's runtime model, its router), never from a list of known holes: every query field and
 * argument, every filter operator on every field and relation (three relations deep, with
 * and/or/not), sorts, pages and totals, REST filters/populate/sort/fields/locale/status, every
 * route the router holds, every open-data file, the public pages (a record's page by every slug
 * either database holds: drafts', never-published languages', hidden people's), the Atom feeds
 * (a theme's and a territory's by every slug held). Values come from what the databases hold, so
 * that a filter can tell a hidden row from none.
 */

export interface Probe {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Asked again with If-None-Match: the validator the public instance gave. */
  revalidate?: boolean;
  /** The same request spelled differently (case, slashes, percent-encoding). */
  variant?: string;
  /** A request sent (and compared) first, that this one depends on: a persisted query's registration. */
  prepare?: Probe;
}

/** mulberry32: small, seedable, the same sequence on every machine. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  some<T>(items: readonly T[], max: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    const n = 1 + this.int(Math.min(max, copy.length));
    while (out.length < n && copy.length) out.push(copy.splice(this.int(copy.length), 1)[0]);
    return out;
  }
}

// ---- values -------------------------------------------------------------------------------

/** Values a filter tries: what the databases hold, pieces of it (prefixes, infixes) and extremes. */
class Values {
  constructor(
    private readonly rng: Random,
    private readonly facts: HiddenFacts['values'],
    readonly locales: string[],
  ) {}
  string(): string {
    const { rng } = this;
    const whole = rng.pick(this.facts.strings);
    switch (rng.int(6)) {
      case 0:
        return rng.pick(['', 'a', 'z', 'Z', '~', '!', '~~', '!!', 'zzzz', '0', 'é']);
      case 1:
        return whole.slice(0, 1 + rng.int(Math.min(8, whole.length)));
      case 2: {
        const start = rng.int(Math.max(1, whole.length - 3));
        return whole.slice(start, start + 3 + rng.int(6));
      }
      default:
        return whole;
    }
  }
  number(integer: boolean): number {
    const { rng } = this;
    if (rng.chance(0.2)) return rng.pick([0, 1, -1, 2, 10, 100, 1e6]);
    const n = rng.pick(this.facts.numbers.length ? this.facts.numbers : [0]);
    return integer ? Math.round(n) : n;
  }
  date(kind: 'Date' | 'DateTime' | 'Time'): string {
    const { rng } = this;
    const iso = rng.chance(0.2)
      ? rng.pick(['1900-01-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z', '2022-09-26T07:00:00.000Z', '2100-01-01T00:00:00.000Z'])
      : rng.pick(this.facts.dates);
    const full = /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso : `2022-09-26T${iso}`;
    if (kind === 'Date') return full.slice(0, 10);
    if (kind === 'Time') return full.length > 11 ? full.slice(11, 23).replace(/Z$/, '') : '09:00:00.000';
    return full.length === 10 ? `${full}T00:00:00.000Z` : full;
  }
  /**
   * Words a search tries: a word of a hidden text (a name of a person without consent, of a
   * draft organisation...), any held word, and a held word with one typo (two letters swapped),
   * which the search tolerates in words of five letters or more.
   */
  searchWords(): string[] {
    const { rng } = this;
    const words = (strings: string[]) => [...new Set(strings.flatMap((text) => text.match(/\p{L}{3,}/gu) ?? []))];
    const all = words(this.facts.strings);
    const hidden = words(this.facts.strings.filter((text) => text.includes('NASCOSTO'))).filter((word) => word !== 'NASCOSTO');
    const long = rng.pick(all.filter((word) => word.length >= 5));
    const at = 1 + rng.int(long.length - 2);
    const typo = `${long.slice(0, at)}${long[at + 1]}${long[at]}${long.slice(at + 2)}`;
    return [rng.pick(hidden.length ? hidden : all), rng.pick(all), typo];
  }
  documentId(): string {
    return this.rng.chance(0.1) ? String(this.rng.pick(this.facts.ids)) : this.rng.pick(this.facts.documentIds);
  }
  locale(): string {
    return this.rng.pick([...this.locales, '*', 'fr']);
  }
}

// ---- GraphQL ------------------------------------------------------------------------------

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface Field {
  name: string;
  args: { name: string; type: TypeRef }[];
  type: TypeRef;
}
interface GqlType {
  kind: string;
  name: string;
  fields: Field[] | null;
  inputFields: { name: string; type: TypeRef }[] | null;
  enumValues: { name: string }[] | null;
  possibleTypes: { name: string }[] | null;
}
export interface Introspection {
  queryType: { name: string };
  types: GqlType[];
}

const ref = `kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`;
export const INTROSPECTION_QUERY = `{ __schema { queryType { name } types { kind name
  fields(includeDeprecated: true) { name args { name type { ${ref} } } type { ${ref} } }
  inputFields { name type { ${ref} } } enumValues(includeDeprecated: true) { name } possibleTypes { name } } } }`;

/** Objects nest this deep in a selection (filters go three relations deep on their own). */
const SELECTION_DEPTH = 2;

const named = (t: TypeRef): TypeRef => (t.ofType ? named(t.ofType) : t);
const isList = (t: TypeRef): boolean => t.kind === 'LIST' || (t.kind === 'NON_NULL' && isList(t.ofType!));

class GraphqlGenerator {
  private readonly types: Map<string, GqlType>;
  constructor(
    private readonly rng: Random,
    private readonly values: Values,
    schema: Introspection,
  ) {
    this.types = new Map(schema.types.map((t) => [t.name, t]));
    this.queryFields = this.types.get(schema.queryType.name)!.fields!.filter((f) => !f.name.startsWith('__'));
  }
  readonly queryFields: Field[];

  query(field = this.rng.pick(this.queryFields)): string {
    return `{ ${field.name}${this.args(field, 0)}${this.selection(named(field.type).name!, 0)} }`;
  }

  /** For every query field with filters, one query per field its filters offer (relations included). */
  *everyFilter(): Generator<string> {
    for (const field of this.queryFields) {
      const filters = field.args.find((a) => a.name === 'filters');
      if (!filters) continue;
      for (const f of this.types.get(named(filters.type).name!)!.inputFields!) {
        const rest = field.args.filter((a) => a.type.kind === 'NON_NULL' || (a.name !== 'filters' && this.rng.chance(0.2)));
        const args = rest.map((a) => `${a.name}: ${a.name === 'sort' ? this.sort(field) : this.value(a.type, 0)}`);
        yield `{ ${field.name}(filters: { ${f.name}: ${this.value(f.type, 1)} }${args.map((a) => `, ${a}`).join('')})${this.selection(named(field.type).name!, 0)} }`;
      }
    }
  }

  /** `search` for each type it offers, and for all at once, by words the databases hold (hidden ones included). */
  *everySearch(): Generator<string> {
    const search = this.queryFields.find((field) => field.name === 'search');
    const types = search?.args.find((arg) => arg.name === 'types');
    if (!search || !types) return;
    for (const type of [null, ...this.types.get(named(types.type).name!)!.enumValues!.map((value) => value.name)]) {
      for (const word of this.values.searchWords()) {
        const locale = this.rng.pick(this.values.locales);
        yield `{ search(query: ${JSON.stringify(word)}, locale: "${locale}"${type ? `, types: [${type}]` : ''}) { total totalExact items { type slug title snippet score startDate } } }`;
      }
    }
  }

  private args(field: Field, depth: number): string {
    const given = field.args.filter((a) => a.type.kind === 'NON_NULL' || this.rng.chance(depth === 0 ? 0.5 : 0.25));
    if (!given.length) return '';
    return `(${given.map((a) => `${a.name}: ${a.name === 'sort' ? this.sort(field) : this.value(a.type, 0)}`).join(', ')})`;
  }

  /** `field:asc` on the scalars of what the field returns, sometimes through a relation. */
  private sort(field: Field): string {
    const leaves = (typeName: string) =>
      (this.types.get(typeName)?.fields ?? []).filter((f) => ['SCALAR', 'ENUM'].includes(named(f.type).kind));
    let target = named(field.type).name!;
    const nodes = this.types.get(target)?.fields?.find((f) => f.name === 'nodes');
    if (nodes) target = named(nodes.type).name!;
    const one = () => {
      const relation = this.rng.chance(0.25) && (this.types.get(target)?.fields ?? []).filter((f) => named(f.type).kind === 'OBJECT');
      const via = relation && relation.length ? this.rng.pick(relation) : undefined;
      const candidates = leaves(via ? named(via.type).name! : target);
      const leaf = candidates.length ? this.rng.pick(candidates).name : 'documentId';
      return JSON.stringify(`${via ? `${via.name}.` : ''}${leaf}${this.rng.pick([':asc', ':desc', ''])}`);
    };
    return `[${Array.from({ length: 1 + this.rng.int(2) }, one).join(', ')}]`;
  }

  private value(type: TypeRef, depth: number): string {
    if (type.kind === 'NON_NULL') return this.value(type.ofType!, depth);
    if (type.kind === 'LIST') return `[${Array.from({ length: 1 + this.rng.int(2) }, () => this.value(type.ofType!, depth)).join(', ')}]`;
    const t = this.types.get(type.name!)!;
    if (t.kind === 'ENUM') return this.rng.pick(t.enumValues!).name;
    if (t.kind === 'INPUT_OBJECT') return this.input(t, depth);
    return this.scalar(t.name);
  }

  private scalar(name: string): string {
    const v = this.values;
    switch (name) {
      case 'ID':
        return JSON.stringify(v.documentId());
      case 'Int':
      case 'Long':
        return String(v.number(true));
      case 'Float':
        return String(v.number(false));
      case 'Boolean':
        return String(this.rng.chance(0.5));
      case 'Date':
      case 'DateTime':
      case 'Time':
        return JSON.stringify(v.date(name));
      case 'I18NLocaleCode':
        return JSON.stringify(v.locale());
      case 'JSON':
        return this.rng.chance(0.5) ? JSON.stringify(v.string()) : String(v.number(false));
      default:
        return JSON.stringify(v.string());
    }
  }

  /**
   * Filters: one or two of the type's fields; a relation's filters nest up to three deep;
   * and/or/not combine; each scalar field gets one of its operators.
   */
  private input(t: GqlType, depth: number): string {
    const fields = t.inputFields!;
    const isRelation = (name: string) => /FiltersInput$/.test(name);
    const usable = fields.filter((f) => {
      const target = named(f.type).name!;
      if (isRelation(target) && target !== t.name) return depth < 3;
      if (target === t.name) return depth < 4; // and / or / not
      return true;
    });
    if (!usable.length) return '{}';
    const chosen = this.rng.some(usable, /FilterInput$/.test(t.name) ? 1 : 2);
    const parts = chosen.map((f) => {
      const target = named(f.type).name!;
      const deeper = isRelation(target) && target !== t.name ? depth + 1 : target === t.name ? depth + 1 : depth;
      return `${f.name}: ${this.value(f.type, deeper)}`;
    });
    return `{ ${parts.join(', ')} }`;
  }

  private selection(typeName: string, depth: number): string {
    const t = this.types.get(typeName)!;
    if (t.kind === 'SCALAR' || t.kind === 'ENUM') return '';
    if (t.kind === 'UNION' || t.kind === 'INTERFACE') {
      const parts = this.rng.some(t.possibleTypes!, 2).map((p) => `... on ${p.name}${this.selection(p.name, depth + 1)}`);
      return ` { __typename ${parts.join(' ')} }`;
    }
    const parts: string[] = [];
    for (const f of t.fields!) {
      const target = named(f.type);
      const leaf = target.kind === 'SCALAR' || target.kind === 'ENUM';
      const required = f.args.some((a) => a.type.kind === 'NON_NULL');
      if (leaf ? this.rng.chance(0.5) : depth < SELECTION_DEPTH && this.rng.chance(isList(f.type) ? 0.25 : 0.35)) {
        parts.push(
          `${f.name}${required || (!leaf && this.rng.chance(0.4)) ? this.args(f, depth + 1) : ''}${this.selection(target.name!, depth + 1)}`,
        );
      }
    }
    return ` { ${parts.length ? parts.join(' ') : '__typename'} }`;
  }
}

// ---- REST ---------------------------------------------------------------------------------

const OPERATORS = [
  '$eq',
  '$eqi',
  '$ne',
  '$nei',
  '$lt',
  '$lte',
  '$gt',
  '$gte',
  '$in',
  '$notIn',
  '$contains',
  '$notContains',
  '$containsi',
  '$notContainsi',
  '$null',
  '$notNull',
  '$between',
  '$startsWith',
  '$startsWithi',
  '$endsWith',
  '$endsWithi',
];
const LIST_OPERATORS = new Set(['$in', '$notIn', '$between']);
const NESTED = new Set(['relation', 'component', 'media', 'dynamiczone']);

type Params = Record<string, unknown>;

/** Strapi's (qs's) bracket notation: filters[a][b][$eq]=x, sort[0]=y. */
export function encodeQuery(params: Params): string {
  const pairs: string[] = [];
  const walk = (prefix: string, value: unknown) => {
    if (value === undefined) return;
    if (Array.isArray(value)) value.forEach((v, i) => walk(`${prefix}[${i}]`, v));
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}[${k}]` : k, v);
    else pairs.push(`${encodeURIComponent(prefix).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(String(value))}`);
  };
  walk('', params);
  return pairs.join('&');
}

class RestGenerator {
  constructor(
    private readonly rng: Random,
    private readonly values: Values,
    private readonly model: Model,
  ) {}

  private scalarFor(type: string): unknown {
    const v = this.values;
    if (['integer', 'biginteger'].includes(type)) return v.number(true);
    if (['decimal', 'float'].includes(type)) return v.number(false);
    if (type === 'boolean') return this.rng.chance(0.5);
    if (type === 'date') return v.date('Date');
    if (type === 'datetime' || type === 'timestamp') return v.date('DateTime');
    if (type === 'time') return v.date('Time');
    return v.string();
  }

  filters(type: ModelType, depth: number): Params {
    const attributes = Object.entries(type.attributes).filter(([, a]) => a.type !== 'password');
    const out: Params = {};
    const nested = attributes.filter(([, a]) => NESTED.has(a.type));
    // Relations, components and media as likely as all scalars together: that is where joins are.
    const pool = this.rng.chance(0.5) && nested.length ? nested : attributes;
    for (const [name, attr] of this.rng.some([...pool, ['$and', null], ['$or', null], ['$not', null]] as [string, any][], 2)) {
      if (name === '$and' || name === '$or') {
        if (depth < 3) out[name] = Array.from({ length: 1 + this.rng.int(2) }, () => this.filters(type, depth + 1));
      } else if (name === '$not') {
        if (depth < 3) out[name] = this.filters(type, depth + 1);
      } else if (NESTED.has(attr.type)) {
        const target = this.model.types[attr.target ?? attr.component ?? ''];
        if (target && depth < 3) out[name] = this.filters(target, depth + 1);
      } else {
        const op = this.rng.pick(OPERATORS);
        const scalar = () => this.scalarFor(attr.type);
        out[name] = {
          [op]: op === '$null' || op === '$notNull' ? this.rng.chance(0.5) : LIST_OPERATORS.has(op) ? [scalar(), scalar()] : scalar(),
        };
      }
    }
    return out;
  }

  private populate(type: ModelType, depth: number): unknown {
    const nested = Object.entries(type.attributes).filter(([, a]) => NESTED.has(a.type));
    if (!nested.length || this.rng.chance(0.15)) return '*';
    if (this.rng.chance(0.25)) return this.rng.some(nested, 3).map(([name]) => name);
    return Object.fromEntries(
      this.rng.some(nested, 3).map(([name, attr]) => {
        const target = this.model.types[attr.target ?? attr.component ?? ''];
        if (!target || depth >= 2 || this.rng.chance(0.3)) return [name, true];
        const spec: Params = {};
        if (this.rng.chance(0.7)) spec.populate = this.populate(target, depth + 1);
        if (this.rng.chance(0.3)) spec.fields = this.fields(target);
        if (this.rng.chance(0.3)) spec.filters = this.filters(target, 2);
        if (this.rng.chance(0.2)) spec.sort = this.sort(target);
        return [name, Object.keys(spec).length ? spec : true];
      }),
    );
  }

  private scalars = (type: ModelType) =>
    Object.entries(type.attributes)
      .filter(([, a]) => !NESTED.has(a.type))
      .map(([name]) => name);
  private fields = (type: ModelType) => this.rng.some(this.scalars(type), 3);
  private sort(type: ModelType): unknown {
    const one = () => `${this.rng.pick([...this.scalars(type), 'id'])}${this.rng.pick([':asc', ':desc', ''])}`;
    return this.rng.chance(0.5) ? one() : [one(), one()];
  }

  /** A read of a collection (or one document) of a content type, with a random set of parameters. */
  contentRead(): Probe {
    const type = this.rng.pick(contentApiTypes(this.model));
    const params: Params = {};
    if (this.rng.chance(0.6)) params.filters = this.filters(type, 0);
    if (this.rng.chance(0.5)) params.populate = this.populate(type, 0);
    if (this.rng.chance(0.3)) params.sort = this.sort(type);
    if (this.rng.chance(0.3)) params.fields = this.fields(type);
    if (this.rng.chance(0.4)) params.locale = this.values.locale();
    if (this.rng.chance(0.15)) params.status = this.rng.pick(['draft', 'published']);
    if (this.rng.chance(0.3))
      params.pagination = this.rng.chance(0.5)
        ? { page: 1 + this.rng.int(3), pageSize: 1 + this.rng.int(5), withCount: this.rng.chance(0.5) }
        : { start: this.rng.int(10), limit: 1 + this.rng.int(5) };
    const one = this.rng.chance(0.15) ? `/${encodeURIComponent(this.values.documentId())}` : '';
    if (one) delete params.filters;
    const query = encodeQuery(params);
    return { method: 'GET', path: `/api/${type.plural}${one}${query ? `?${query}` : ''}` };
  }

  /**
   * For every content type, one read filtered on each attribute, and one populating each
   * relation, component and media field with everything its own records link to.
   */
  *everyAttribute(): Generator<Probe> {
    for (const type of contentApiTypes(this.model)) {
      for (const [name, attr] of Object.entries(type.attributes)) {
        const target = this.model.types[attr.target ?? attr.component ?? ''];
        const filter = target ? this.filters(target, 1) : { [this.rng.pick(OPERATORS)]: this.scalarFor(attr.type) };
        yield this.read(type, { filters: { [name]: filter }, locale: this.rng.chance(0.3) ? this.values.locale() : undefined });
        // Everything the nested record itself links to, one level further.
        if (target) yield this.read(type, { populate: { [name]: { populate: '*' } } });
      }
    }
  }

  private read(type: ModelType, params: Params): Probe {
    const query = encodeQuery(params);
    return { method: 'GET', path: `/api/${type.plural}${query ? `?${query}` : ''}` };
  }

  /** Any GET route of the router (admin and plugins included), its parameters filled with held values. */
  route(route: { path: string }): Probe {
    const path = route.path.replace(/:(\w+)(\([^)]*\))?\??/g, (_m, name: string) => {
      if (/documentId|^id$/i.test(name)) return encodeURIComponent(this.values.documentId());
      if (/uid|model/i.test(name)) return encodeURIComponent(this.rng.pick(Object.keys(this.model.types)));
      if (/locale/i.test(name)) return this.values.locale();
      return encodeURIComponent(this.values.string() || 'x');
    });
    return { method: 'GET', path: path.replace(/\(\.\*\)|\*/g, 'x') };
  }
}

// ---- public pages --------------------------------------------------------------------------

/**
 * GET addresses built from the slugs the databases hold, in every locale and one that is none,
 * revalidated, so that ETag and Last-Modified are compared too.
 */
abstract class SlugAddressGenerator {
  protected readonly slugs: string[];
  constructor(
    protected readonly rng: Random,
    protected readonly values: Values,
    strings: string[],
  ) {
    this.slugs = strings.filter((s) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(s));
  }
  protected readonly locales = () => [...this.values.locales, 'fr'];
  /** The test's own records' slugs (shared or hidden). */
  protected readonly own = () => this.slugs.filter((s) => /^(condiviso|nascosto)-/.test(s));
  protected get = (path: string): Probe => ({ method: 'GET', path, revalidate: true });
}

/** The public pages: statements, lists, sitemap and robots, and record pages by the slugs the databases hold. */
class PageGenerator extends SlugAddressGenerator {
  private page = this.get;

  /** Every fixed page; per type and locale, its page by each slug of the test's own records (shared or hidden) and by two others. */
  *everyPage(): Generator<Probe> {
    yield this.page(SITEMAP_PATH);
    yield this.page(ROBOTS_PATH);
    for (const locale of this.values.locales as ('it' | 'en')[]) {
      for (const statement of STATEMENTS) yield this.page(statementPath(locale, statement));
      for (const type of PUBLIC_TYPES) yield this.page(typePath(locale, type));
    }
    const own = this.own();
    for (const type of PUBLIC_TYPES) {
      const ofType = own.filter((s) => s.endsWith(`-${type}`) || !PUBLIC_TYPES.some((t) => s.endsWith(`-${t}`)));
      for (const locale of this.locales()) {
        for (const slug of [...ofType, this.rng.pick(this.slugs), this.rng.pick(this.slugs)]) yield this.record(locale, type, slug);
      }
    }
  }

  random(): Probe {
    return this.record(this.rng.pick(this.locales()), this.rng.pick(PUBLIC_TYPES), this.rng.pick(this.slugs));
  }

  private record = (locale: string, type: (typeof PUBLIC_TYPES)[number], slug: string) => this.page(recordPath(locale as 'it', type, slug));
}

// ---- Atom feeds ---------------------------------------------------------------------------

/**
 * The Atom feeds: everything, per type, and per theme and territory by every slug either
 * database holds (a draft theme's, a theme drafts point at, a territory above hidden records).
 */
class AtomFeedGenerator extends SlugAddressGenerator {
  private readonly scopes = Object.keys(FEED_SCOPES) as FeedScope[];
  private feed = this.get;
  private scoped = (locale: string, kind: FeedScope, slug: string) => this.feed(feedPath({ kind, locale: locale as 'it', slug }));

  *coverage(): Generator<Probe> {
    for (const locale of this.locales()) {
      yield this.feed(feedPath({ kind: 'all', locale: locale as 'it' }));
      for (const type of PUBLIC_TYPES) yield this.feed(feedPath({ kind: 'type', locale: locale as 'it', type }));
      yield this.feed(`/feeds/${locale}/${this.rng.pick(this.slugs)}.atom`);
    }
    for (const kind of this.scopes) {
      for (const slug of this.slugs) yield this.scoped('it', kind, slug);
      for (const slug of this.own()) yield this.scoped(this.rng.pick(this.locales()), kind, slug);
    }
  }

  any(): Probe {
    return this.rng.chance(0.3)
      ? this.feed(feedPath({ kind: 'type', locale: this.rng.pick(this.locales()) as 'it', type: this.rng.pick(PUBLIC_TYPES) }))
      : this.scoped(this.rng.pick(this.locales()), this.rng.pick(this.scopes), this.rng.pick(this.slugs));
  }
}

// ---- change feed ----------------------------------------------------------------------------

/**
 * Reads of the change feed (GraphQL `changes`, REST /api/changes): any cursor from the beginning
 * to past the end (a hidden write must not take a number, nor move `at`), others' garbage,
 * type and locale filters, page sizes in and out of range.
 */
class FeedGenerator {
  constructor(
    private readonly rng: Random,
    private readonly values: Values,
  ) {}

  private args(): { since?: string; types?: string[]; locale?: string; first?: number } {
    const { rng } = this;
    const args: { since?: string; types?: string[]; locale?: string; first?: number } = {};
    if (rng.chance(0.7)) args.since = rng.chance(0.85) ? encodeCursor(rng.int(rng.chance(0.5) ? 60 : 2000)) : this.values.string();
    if (rng.chance(0.3)) args.types = rng.some(FEED_TYPE_NAMES, 3);
    if (rng.chance(0.3)) args.locale = this.values.locale();
    if (rng.chance(0.5)) args.first = rng.pick([1, 2, 5, 50, 100, 1000, 0, 1001]);
    return args;
  }

  graphql(args = this.args()): Probe {
    const given = Object.entries(args).map(
      ([name, value]) => `${name}: ${Array.isArray(value) ? `[${value.join(', ')}]` : JSON.stringify(value)}`,
    );
    const query = `{ changes${given.length ? `(${given.join(', ')})` : ''} { items { cursor type documentId slug locale action at } nextCursor hasMore } }`;
    return this.rng.chance(0.3) ? graphqlGet(query) : graphqlPost(query);
  }

  rest(args = this.args()): Probe {
    const query = encodeQuery({ ...args, types: args.types?.join(',') });
    return { method: 'GET', path: `/api/changes${query ? `?${query}` : ''}` };
  }

  /** The whole feed from zero, and per type and locale, by both routes. */
  *coverage(): Generator<Probe> {
    for (const args of [
      { first: 1000 },
      ...FEED_TYPE_NAMES.map((type) => ({ types: [type], first: 1000 })),
      ...this.values.locales.map((locale) => ({ locale, first: 1000 })),
    ]) {
      yield this.graphql(args);
      yield this.rest(args);
    }
  }

  any(): Probe {
    return this.rng.chance(0.5) ? this.graphql() : this.rest();
  }
}

// ---- the sequence -------------------------------------------------------------------------

/** Spellings the router treats as the same path. */
function respell(rng: Random, path: string): string {
  const [pathname, query] = path.split(/\?(.*)/s, 2);
  const spelt = (() => {
    switch (rng.int(4)) {
      case 0:
        return pathname.toUpperCase();
      case 1:
        return `${pathname}/`;
      case 2:
        return pathname.replace(/^\//, '//');
      default:
        return pathname.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`);
    }
  })();
  return query === undefined ? spelt : `${spelt}?${query}`;
}

const graphqlPost = (query: string): Probe => ({
  method: 'POST',
  path: '/graphql',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query }),
});
const graphqlGet = (query: string): Probe => ({ method: 'GET', path: `/graphql?query=${encodeURIComponent(query)}`, revalidate: true });

/**
 * An automatic persisted query as Apollo Client sends it: the hash alone (GET, revalidated, or
 * POST), after a registration with the query (GET or POST; ten in a hundred never registered:
 * PERSISTED_QUERY_NOT_FOUND). Its answer must not depend on hidden content any more than the
 * plain query's.
 */
function persistedQuery(rng: Random, query: string): Probe {
  const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } };
  const request = (withQuery: boolean, method: 'GET' | 'POST'): Probe => {
    const body = withQuery ? { query, extensions } : { extensions };
    if (method === 'POST') return { method, path: '/graphql', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    const params = new URLSearchParams({ ...(withQuery ? { query } : {}), extensions: JSON.stringify(extensions) });
    return { method, path: `/graphql?${params}`, revalidate: true };
  };
  const probe = request(false, rng.pick(['GET', 'POST'] as const));
  if (rng.chance(0.9)) probe.prepare = request(true, rng.pick(['GET', 'POST'] as const));
  return probe;
}

export interface GeneratorInput {
  seed: number;
  count: number;
  schema: Introspection;
  model: Model;
  facts: HiddenFacts;
  openDataFiles: string[];
}

/**
 * First coverage whatever the seed: every query field; every field of every query's filters;
 * every public page and Atom feed; a search of every type by held words (hidden names among them,
 * and one typo away); every attribute of every content type as a REST filter, and as a populate
 * where it nests; every open-data file; the change feed from zero. Then random
 * requests: GraphQL (by POST, by GET revalidated, and as persisted queries), REST reads, public
 * pages, change-feed reads and Atom feeds. Last, every GET route of the router. One random request in ten is also sent
 * spelled differently; one GraphQL POST in fifty is padded past the body limit.
 */
export function* generateProbes({ seed, count, schema, model, facts, openDataFiles }: GeneratorInput): Generator<Probe> {
  const rng = new Random(seed);
  const values = new Values(rng, facts.values, model.locales);
  const graphql = new GraphqlGenerator(rng, values, schema);
  const rest = new RestGenerator(rng, values, model);
  const pages = new PageGenerator(rng, values, facts.values.strings);
  const feed = new FeedGenerator(rng, values);
  const atom = new AtomFeedGenerator(rng, values, facts.values.strings);
  const gets = model.routes.filter((r) => r.method === 'GET');

  const openData = (name: string): Probe => ({ method: 'GET', path: `/open-data/${name}`, revalidate: true });
  // Coverage first, then random requests, then every route of the router once (the budget
  // shrinks the random part first; the routes come last, after the content reads they could
  // otherwise disturb).
  const first: Iterable<Probe>[] = [
    graphql.queryFields.map((f) => graphqlPost(graphql.query(f))),
    pages.everyPage(),
    atom.coverage(),
    map(graphql.everyFilter(), graphqlPost),
    map(graphql.everySearch(), graphqlPost),
    rest.everyAttribute(),
    openDataFiles.map(openData),
    feed.coverage(),
  ];
  const last = gets.map((r) => rest.route(r));
  // A partner's pages send the same GraphQL requests again and again: a node answers a query text
  // it has validated before its router (src/public-api/direct-reads/requests.ts), so some are sent again.
  const posted: Probe[] = [];
  const sentAgain = (probe: Probe) => {
    if (probe.method === 'POST' && !probe.variant) posted.push({ ...probe });
    return probe;
  };
  let n = 0;
  for (const probes of first) {
    for (const probe of probes) {
      if (n >= count - last.length) break;
      n += 1;
      yield sentAgain(probe);
    }
  }
  while (n < count - last.length) {
    n += 1;
    let probe: Probe;
    const roll = rng.next();
    if (roll < 0.27) probe = graphqlPost(graphql.query());
    else if (roll < 0.4) probe = graphqlGet(graphql.query());
    else if (roll < 0.45) probe = persistedQuery(rng, graphql.query());
    else if (roll < 0.83) probe = rest.contentRead();
    else if (roll < 0.88) probe = posted.length ? { ...rng.pick(posted) } : rest.contentRead();
    else if (roll < 0.92) probe = pages.random();
    else if (roll < 0.94) probe = feed.any();
    else if (roll < 0.96) probe = atom.any();
    else probe = openData(rng.pick(openDataFiles));
    if (probe.method === 'POST' && rng.chance(0.02)) {
      // Past the 64 kB GraphQL body limit: refused the same way however the path is spelled.
      const { query } = JSON.parse(probe.body!);
      probe.body = JSON.stringify({ query: `${query}${' '.repeat(70 * 1024)}` });
    }
    if (rng.chance(0.1)) probe.variant = respell(rng, probe.path);
    yield sentAgain(probe);
  }
  for (const probe of last.slice(0, count - n)) yield probe;
}

function* map<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}
