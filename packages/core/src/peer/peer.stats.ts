/** One stats sample of the connection with a peer. */
export interface PeerStats {
  /** When the sample was taken (ms since epoch). */
  timestamp: number
  /** Current round-trip time over the selected candidate pair. */
  roundTripTimeMs: number | null
  /** Bits per second received since the previous sample (all media and data). */
  inboundBitrate: number | null
  /** Bits per second sent since the previous sample (all media and data). */
  outboundBitrate: number | null
  /** Inbound RTP packets lost so far. */
  packetsLost: number
  /** Share of inbound RTP packets lost so far, 0–1; null before any arrived. */
  packetLossRatio: number | null
  /** Video frames decoded so far. */
  framesDecoded: number
  /** Video frames dropped so far. */
  framesDropped: number
  /** The local candidate type of the selected pair: whether the call goes direct or through TURN. */
  candidateType: RTCIceCandidateType | null
  /** Total bytes received over the selected pair. */
  bytesReceived: number
  /** Total bytes sent over the selected pair. */
  bytesSent: number
}

type Stat = Record<string, unknown> & { type: string; id: string }

const num = (value: unknown) => (typeof value === 'number' ? value : 0)

function selectedPair(stats: Map<string, Stat>): Stat | undefined {
  for (const stat of stats.values()) {
    if (stat.type === 'transport' && typeof stat.selectedCandidatePairId === 'string') {
      const pair = stats.get(stat.selectedCandidatePairId)
      if (pair) return pair
    }
  }
  // Stacks without `selectedCandidatePairId` mark the pair in use as nominated and succeeded.
  for (const stat of stats.values()) {
    if (stat.type === 'candidate-pair' && stat.nominated === true && stat.state === 'succeeded') {
      return stat
    }
  }
  return undefined
}

/** Reduces a `getStats()` report to the figures a call UI shows, rates relative to `previous`. */
export function summarizeStats(report: RTCStatsReport, previous: PeerStats | null): PeerStats {
  const stats = new Map<string, Stat>()
  report.forEach((stat: Stat) => {
    stats.set(stat.id, stat)
  })
  const pair = selectedPair(stats)
  const local = pair ? stats.get(String(pair.localCandidateId)) : undefined
  let packetsLost = 0
  let packetsReceived = 0
  let framesDecoded = 0
  let framesDropped = 0
  for (const stat of stats.values()) {
    if (stat.type !== 'inbound-rtp') continue
    packetsLost += num(stat.packetsLost)
    packetsReceived += num(stat.packetsReceived)
    framesDecoded += num(stat.framesDecoded)
    framesDropped += num(stat.framesDropped)
  }
  const timestamp = Date.now()
  const bytesReceived = num(pair?.bytesReceived)
  const bytesSent = num(pair?.bytesSent)
  const seconds = previous ? (timestamp - previous.timestamp) / 1000 : 0
  const rate = (now: number, before: number | undefined) =>
    seconds > 0 && before !== undefined ? Math.max(0, ((now - before) * 8) / seconds) : null
  const rtt = pair?.currentRoundTripTime
  const totalPackets = packetsLost + packetsReceived
  return {
    timestamp,
    roundTripTimeMs: typeof rtt === 'number' ? rtt * 1000 : null,
    inboundBitrate: rate(bytesReceived, previous?.bytesReceived),
    outboundBitrate: rate(bytesSent, previous?.bytesSent),
    packetsLost,
    packetLossRatio: totalPackets > 0 ? packetsLost / totalPackets : null,
    framesDecoded,
    framesDropped,
    candidateType: (local?.candidateType as RTCIceCandidateType | undefined) ?? null,
    bytesReceived,
    bytesSent,
  }
}
