import { startWhenLoaded } from '../shared/startWhenLoaded'
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
  return startWhenLoaded(
    () => import('./sampleStats'),
    ({ sampleStatsEvery }) => sampleStatsEvery(pc, intervalMs, report),
  )
}
