import { type PeerStats, summarizeStats } from '../peer/peer.stats'
import { type ConnectionQuality, connectionQuality, QUALITY_WINDOW } from './connectionQuality'

/** A stats sample of a connection and the quality it adds up to with the ones before. */
export interface StatsSample {
  stats: PeerStats
  /** Null until the connection first came up. */
  quality: ConnectionQuality | null
}

// Enough history for the quality window and the stall rule.
const KEPT_SAMPLES = Math.max(QUALITY_WINDOW, 3)

/**
 * Samples a connection's stats every `intervalMs` and hands each summary on with the
 * connection's quality; returns the stop. `lost` while ICE reports the connection down.
 */
export function sampleStatsEvery(
  pc: RTCPeerConnection,
  intervalMs: number,
  report: (sample: StatsSample) => void,
): () => void {
  if (intervalMs <= 0) return () => {}
  const history: PeerStats[] = []
  let everConnected = false
  const timer = setInterval(async () => {
    try {
      const stats = summarizeStats(await pc.getStats(), history.at(-1) ?? null)
      history.push(stats)
      if (history.length > KEPT_SAMPLES) history.shift()
      const state = pc.connectionState
      everConnected ||= state === 'connected'
      const down = state === 'disconnected' || state === 'failed'
      const quality = !everConnected ? null : down ? 'lost' : connectionQuality(history)
      report({ stats, quality })
    } catch {
      // getStats rejects once the connection closed; the actor is stopping then anyway.
    }
  }, intervalMs)
  return () => clearInterval(timer)
}
