/** A timeline timestamp: milliseconds since the call started, e.g. `+1234 ms`. */
export function formatElapsed(ms: number): string {
  return `+${Math.round(ms)} ms`
}

/** A duration for people: `850 ms`, `12.3 s`, `4 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const seconds = Math.floor(ms / 1000)
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`
}
