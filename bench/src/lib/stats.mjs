/** Value at quantile `q` (0..1) of already sorted numbers, nearest-rank; null when empty. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return null
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank]
}

/** p50/p95/p99/p99.9/max/mean of a list of numbers (ms), rounded to 0.1. */
export function summarize(values) {
  const sorted = Float64Array.from(values).sort()
  const round = (x) => (x === null ? null : Math.round(x * 10) / 10)
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null
  return {
    n: sorted.length,
    p50: round(quantile(sorted, 0.5)),
    p95: round(quantile(sorted, 0.95)),
    p99: round(quantile(sorted, 0.99)),
    p999: round(quantile(sorted, 0.999)),
    max: round(sorted.length ? sorted[sorted.length - 1] : null),
    mean: round(mean),
  }
}

/** Rounds to `digits` decimals, keeping null. */
export const round = (x, digits = 1) =>
  x === null || x === undefined ? null : Math.round(x * 10 ** digits) / 10 ** digits
