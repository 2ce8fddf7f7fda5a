/** A RangePicker value ([start, end] dayjs-like) to the `from` / `to` days the log APIs accept. */
export function rangeToQuery(values: Record<string, unknown>): Record<string, unknown> {
  const { range, ...rest } = values;
  const r = range as
    | [{ format: (f: string) => string } | null, { format: (f: string) => string } | null]
    | undefined;
  return { ...rest, from: r?.[0]?.format('YYYY-MM-DD'), to: r?.[1]?.format('YYYY-MM-DD') };
}
