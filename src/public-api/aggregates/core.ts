/**
 * Dashboard figures over published knowledge (pure: the adapter loads the documents).
 *
 * Outcome figures: outcomes grouped by the dimensions a partner asks for, values summed within
 * a group. The unit is always part of the group, so "14 training meetings" and "50 public
 * operators" never add up. Theme counts: how many records of each kind carry each theme.
 */
import { unknownLocale } from '../public-access/core';

export const OUTCOME_DIMENSIONS = ['project', 'territory', 'indicatorType', 'indicatorCode'] as const;
export type OutcomeDimension = (typeof OUTCOME_DIMENSIONS)[number];

export type Qualifier = 'exact' | 'at_least' | 'approx';

interface Linked {
  documentId: string;
  slug: string;
}

export interface OutcomeRecord {
  slug: string;
  /** Decimal: a number, or a string on PostgreSQL. */
  value: number | string;
  qualifier: Qualifier;
  unit: string | null;
  indicatorType: string | null;
  indicatorCode?: string | null;
  project?: Linked | null;
  territory?: Linked | null;
}

export interface OutcomeFigure<O extends OutcomeRecord> {
  project: O['project'] | null;
  territory: O['territory'] | null;
  indicatorType: string | null;
  indicatorCode: string | null;
  unit: string | null;
  total: number;
  count: number;
  qualifier: Qualifier;
  outcomes: O[];
}

/**
 * The qualifier a sum deserves: exact only when every part is exact; a sum with an
 * approximate part is approximate (it is no longer a lower bound either); otherwise a sum
 * with an "at least" part is itself "at least".
 */
export function weakestQualifier(qualifiers: Qualifier[]): Qualifier {
  if (qualifiers.includes('approx')) return 'approx';
  if (qualifiers.includes('at_least')) return 'at_least';
  return 'exact';
}

// Decimals come back as strings on PostgreSQL; float noise of a sum (0.1 + 0.2) is rounded away.
const decimal = (value: number | string): number => Number(value);
const roundSum = (sum: number) => Number(sum.toPrecision(15));

// Code-point order, so that the output does not depend on the server's collation or ICU.
const compareText = (a: string | null | undefined, b: string | null | undefined) => {
  if (a == null || b == null) return a == null ? (b == null ? 0 : 1) : -1; // nulls last
  return a < b ? -1 : a > b ? 1 : 0;
};

const dimensionText = (record: Pick<OutcomeRecord, OutcomeDimension>, dimension: OutcomeDimension) => {
  if (dimension === 'project' || dimension === 'territory') return record[dimension]?.slug ?? null;
  return record[dimension] ?? null;
};

/**
 * Groups outcomes by the given dimensions (and always by unit) and sums each group. Output is
 * sorted by the dimensions in the order asked (projects and territories by slug), then by
 * unit; the outcomes of a figure by slug. Dimensions not grouped by are null in the figures.
 */
export function outcomeFigures<O extends OutcomeRecord>(outcomes: O[], groupBy: readonly OutcomeDimension[]): OutcomeFigure<O>[] {
  const dimensions = OUTCOME_DIMENSIONS.filter((d) => groupBy.includes(d));
  const groups = new Map<string, O[]>();
  for (const outcome of outcomes) {
    const key = JSON.stringify([...dimensions.map((d) => dimensionText(outcome, d)), outcome.unit]);
    groups.set(key, [...(groups.get(key) ?? []), outcome]);
  }

  const figures = [...groups.values()].map((members): OutcomeFigure<O> => {
    const [first] = members;
    const has = (d: OutcomeDimension) => dimensions.includes(d);
    return {
      project: has('project') ? (first.project ?? null) : null,
      territory: has('territory') ? (first.territory ?? null) : null,
      indicatorType: has('indicatorType') ? (first.indicatorType ?? null) : null,
      indicatorCode: has('indicatorCode') ? (first.indicatorCode ?? null) : null,
      unit: first.unit,
      total: roundSum(members.reduce((sum, o) => sum + decimal(o.value), 0)),
      count: members.length,
      qualifier: weakestQualifier(members.map((o) => o.qualifier)),
      outcomes: [...members].sort((a, b) => compareText(a.slug, b.slug)),
    };
  });

  const order = [...new Set(groupBy)];
  return figures.sort((a, b) => {
    for (const d of order) {
      const diff = compareText(dimensionText(a, d), dimensionText(b, d));
      if (diff) return diff;
    }
    return compareText(a.unit, b.unit);
  });
}

/** What the theme counts count, by the field name partners read. */
export const COUNTED_KINDS = ['goodPractices', 'trainings', 'thematicTables', 'events', 'outcomes'] as const;
export type CountedKind = (typeof COUNTED_KINDS)[number];

export type ThemeCount<T> = { theme: T; total: number } & Record<CountedKind, number>;

/**
 * For every theme (those no record carries included), how many records of each kind carry it,
 * given as counts per kind and theme documentId (which all locales of a theme share). Sorted by
 * total, most used first, then by slug.
 */
export function themeCounts<T extends Linked>(themes: T[], counted: Record<CountedKind, Record<string, number>>): ThemeCount<T>[] {
  return themes
    .map((theme) => {
      const counts = Object.fromEntries(COUNTED_KINDS.map((kind) => [kind, counted[kind][theme.documentId] ?? 0])) as Record<
        CountedKind,
        number
      >;
      const total = COUNTED_KINDS.reduce((sum, kind) => sum + counts[kind], 0);
      return { theme, ...counts, total };
    })
    .sort((a, b) => b.total - a.total || compareText(a.theme.slug, b.theme.slug));
}

/**
 * The one locale figures are computed in: the default when none is asked; never '*', since
 * the same record in two locales would be counted twice (and units are localized).
 */
export function figuresLocale(asked: unknown, locales: readonly string[]): { locale: string } | { problem: string } {
  if (asked === undefined || asked === null) return { locale: locales[0] };
  if (typeof asked === 'string' && locales.includes(asked)) return { locale: asked };
  if (asked === '*')
    return { problem: `locale "*" is not accepted: figures are computed in one locale at a time (${locales.join(', ')}).` };
  return { problem: unknownLocale(asked, locales) };
}
