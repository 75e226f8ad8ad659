/** Date ranges of the content model: the second date may not come before the first. */
export const DATE_RANGES = [
  ['startDate', 'endDate'],
  ['periodStart', 'periodEnd'],
] as const;

type Values = Record<string, unknown>;

const time = (value: unknown): number | null => {
  if (value == null || value === '') return null;
  const t = Date.parse(String(value));
  return Number.isNaN(t) ? null : t;
};

/** Messages for every range whose end comes before its start; empty when all is well. */
export function dateRangeErrors(values: Values, attributes: Record<string, unknown>): { path: string; message: string }[] {
  return DATE_RANGES.filter(([start, end]) => start in attributes && end in attributes).flatMap(([start, end]) => {
    const from = time(values[start]);
    const to = time(values[end]);
    return from !== null && to !== null && to < from
      ? [{ path: end, message: `${end} (${values[end]}) must not be before ${start} (${values[start]}).` }]
      : [];
  });
}

/** Which range fields a write touches, so unrelated writes cost no extra read. */
export const touchedRangeFields = (data: Values | undefined): string[] => DATE_RANGES.flat().filter((field) => data && field in data);
