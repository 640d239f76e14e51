import type { Counter } from 'prom-client'

/** The sum of a counter's series that carry `labels` (all of them without). */
export async function countOf<T extends string>(
  counter: Counter<T>,
  labels: Partial<Record<T, string>> = {},
): Promise<number> {
  const { values } = await counter.get()
  const wanted = Object.entries(labels) as [T, string][]
  return values
    .filter((series) => wanted.every(([name, value]) => series.labels[name] === value))
    .reduce((sum, series) => sum + series.value, 0)
}
