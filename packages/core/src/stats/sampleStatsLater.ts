import type { StatsSample } from './sampleStats'

/**
 * `sampleStatsEvery`, its code (the stats summary and the quality rules) fetched when the first
 * connection starts sampling rather than with the page. Returns the stop, good before the load.
 */
export function sampleStatsLater(
  pc: RTCPeerConnection,
  intervalMs: number,
  report: (sample: StatsSample) => void,
): () => void {
  if (intervalMs <= 0) return () => {}
  let stop: (() => void) | null = null
  let stopped = false
  // A chunk that fails to load leaves the connection without stats, nothing else.
  import('./sampleStats').then(
    ({ sampleStatsEvery }) => {
      if (!stopped) stop = sampleStatsEvery(pc, intervalMs, report)
    },
    () => {},
  )
  return () => {
    stopped = true
    stop?.()
  }
}
