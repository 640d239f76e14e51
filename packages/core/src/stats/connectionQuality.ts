import type { PeerStats } from '../peer/peer.stats'

/** How good the connection with a peer is, as a UI shows it in bars. */
export type ConnectionQuality = 'excellent' | 'good' | 'poor' | 'lost'

/** The figures of a stats sample that quality is drawn from. */
export type QualitySample = Pick<
  PeerStats,
  | 'roundTripTimeMs'
  | 'jitterMs'
  | 'intervalLossRatio'
  | 'availableOutgoingBitrate'
  | 'packetCounters'
>

/**
 * Where each quality ends. A level holds while every figure is within its bound; the worst
 * figure decides. Loss is averaged over the last {@link QUALITY_WINDOW} samples, so one unlucky
 * second does not flip the bars, and a network that heals shows it within that window.
 */
export const QUALITY_THRESHOLDS = {
  excellent: {
    /** Packets lost (share, 0–1). */
    loss: 0.02,
    /** Round-trip time (ms). */
    rttMs: 150,
    /** Jitter (ms). */
    jitterMs: 30,
    /** At least this available outgoing bitrate (bit/s), where the stack gives it. */
    minOutgoingBitrate: 300_000,
  },
  good: {
    loss: 0.08,
    rttMs: 400,
    jitterMs: 80,
    minOutgoingBitrate: 100_000,
  },
} as const

/** Samples the quality looks back over (one a second by default: three seconds). */
export const QUALITY_WINDOW = 3

/** Sampling periods in a row with no RTP packet received (after some were) before a connection counts as lost. */
export const LOST_AFTER_SAMPLES = 2

// Received streams only: what the other side reports about ours says nothing of a stall here.
const packetsReceived = (sample: QualitySample) =>
  Object.values(sample.packetCounters).reduce(
    (sum, counter) => (counter.sent ? sum : sum + counter.received),
    0,
  )

const average = (values: number[]) =>
  values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length

function within(
  bounds: (typeof QUALITY_THRESHOLDS)[keyof typeof QUALITY_THRESHOLDS],
  figures: {
    loss: number | null
    rtt: number | null
    jitter: number | null
    bitrate: number | null
  },
): boolean {
  return (
    (figures.loss === null || figures.loss < bounds.loss) &&
    (figures.rtt === null || figures.rtt < bounds.rttMs) &&
    (figures.jitter === null || figures.jitter < bounds.jitterMs) &&
    (figures.bitrate === null || figures.bitrate >= bounds.minOutgoingBitrate)
  )
}

/**
 * The quality of a connection from its recent stats samples, oldest first. `lost` when no RTP packet
 * arrived for {@link LOST_AFTER_SAMPLES} sampling periods after some had (a peer that stops
 * sending any media, camera off in a call without audio, shows as lost too); otherwise the best level of
 * {@link QUALITY_THRESHOLDS} that the loss (window average), the latest RTT and jitter and the
 * available outgoing bitrate all stay within, and `poor` past them. Null before the first sample.
 */
export function connectionQuality(samples: readonly QualitySample[]): ConnectionQuality | null {
  const latest = samples.at(-1)
  if (!latest) return null
  // Before ICE notices a cut (seconds), the counters stand still and loss cannot be computed.
  const received = samples.slice(-(LOST_AFTER_SAMPLES + 1)).map(packetsReceived)
  const stalled =
    received.length === LOST_AFTER_SAMPLES + 1 &&
    received.every((count) => count === received[0]) &&
    (received[0] ?? 0) > 0
  if (stalled) return 'lost'
  const window = samples.slice(-QUALITY_WINDOW)
  const losses = window.flatMap((sample) =>
    sample.intervalLossRatio === null ? [] : [sample.intervalLossRatio],
  )
  const figures = {
    loss: average(losses),
    rtt: latest.roundTripTimeMs,
    jitter: latest.jitterMs,
    bitrate: latest.availableOutgoingBitrate,
  }
  if (within(QUALITY_THRESHOLDS.excellent, figures)) return 'excellent'
  if (within(QUALITY_THRESHOLDS.good, figures)) return 'good'
  return 'poor'
}
