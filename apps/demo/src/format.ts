import type { PeerStats } from '@duet/core'

/** `1.2 Mbit/s`, `350 kbit/s`, or `–` before the second sample. */
export function formatBitrate(bitsPerSecond: number | null): string {
  if (bitsPerSecond === null) return '–'
  if (bitsPerSecond >= 1e6) return `${(bitsPerSecond / 1e6).toFixed(1)} Mbit/s`
  return `${Math.round(bitsPerSecond / 1e3)} kbit/s`
}

/** `12 ms`, or `–` before it is known. */
export function formatRtt(ms: number | null): string {
  return ms === null ? '–' : `${Math.round(ms)} ms`
}

/** `0.4 %`, or `–` before any packet arrived. */
export function formatLoss(ratio: number | null): string {
  return ratio === null ? '–' : `${(ratio * 100).toFixed(1)} %`
}

/** `12.3 kB`, `4.5 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1e3) return `${bytes} B`
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`
  return `${(bytes / 1e6).toFixed(1)} MB`
}

const CANDIDATES: Record<RTCIceCandidateType, string> = {
  host: 'host (direct, same network)',
  srflx: 'srflx (direct, through NAT)',
  prflx: 'prflx (direct, discovered)',
  relay: 'relay (through TURN)',
}

/** One line of the stats overlay. */
export interface StatsRow {
  label: string
  value: string
}

/** The stats overlay's lines for a peer's latest sample. */
export function statsRows(stats: PeerStats | null): StatsRow[] {
  if (!stats) return [{ label: 'Stats', value: 'waiting for the first sample…' }]
  return [
    { label: 'RTT', value: formatRtt(stats.roundTripTimeMs) },
    { label: 'Bitrate in', value: formatBitrate(stats.inboundBitrate) },
    { label: 'Bitrate out', value: formatBitrate(stats.outboundBitrate) },
    { label: 'Packet loss', value: formatLoss(stats.packetLossRatio) },
    { label: 'Frames decoded', value: String(stats.framesDecoded) },
    { label: 'Frames dropped', value: String(stats.framesDropped) },
    { label: 'Jitter', value: formatRtt(stats.jitterMs) },
    { label: 'Video codec', value: stats.videoCodec ?? '–' },
    { label: 'Audio codec', value: stats.audioCodec ?? '–' },
    { label: 'Video bitrate out', value: formatBitrate(stats.videoOutboundBitrate) },
    { label: 'Available out', value: formatBitrate(stats.availableOutgoingBitrate) },
    {
      label: 'Candidate',
      value: stats.candidateType ? CANDIDATES[stats.candidateType] : '–',
    },
    { label: 'Network', value: stats.localNetworkType ?? '–' },
  ]
}
