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
  /**
   * Jitter of the audio received (ms), or of the video when there is no audio: a video stream's
   * jitter leaps with every keyframe sent as a burst, which says nothing of the network.
   */
  jitterMs: number | null
  /**
   * Worst share of packets lost since the previous sample, over the streams received (their
   * counters) and sent (the other side's receiver reports against the packets sent), 0–1; null
   * without enough packets.
   */
  intervalLossRatio: number | null
  /** The sender's bandwidth estimate over the selected pair (bit/s), where the stack gives it. */
  availableOutgoingBitrate: number | null
  /** `relay` when either end of the selected pair is a TURN relay candidate, else `direct`. */
  route: 'direct' | 'relay' | null
  /** The remote candidate type of the selected pair. */
  remoteCandidateType: RTCIceCandidateType | null
  /** The local network the pair runs over (`wifi`, `ethernet`, `cellular`, `vpn`…), where the stack tells it. */
  localNetworkType: string | null
  /** Transport of the selected pair's local candidate (`udp` or `tcp`). */
  protocol: string | null
  /** The audio codec sent (or, when nothing is sent, received), e.g. `audio/opus`. */
  audioCodec: string | null
  /** The video codec sent (or, when nothing is sent, received), e.g. `video/VP9`. */
  videoCodec: string | null
  /** Bits per second of video sent since the previous sample. */
  videoOutboundBitrate: number | null
  /** Total video bytes sent (the RTP payload and headers of every outbound video stream). */
  videoBytesSent: number
  /**
   * Packets lost and received so far per RTP stream by stats id, what interval loss is drawn
   * from; `sent` marks a stream we send, counted by the other side's receiver reports.
   */
  packetCounters: Record<string, { lost: number; received: number; sent?: true }>
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

const jitterMs = (seconds: number | null) => (seconds === null ? null : seconds * 1000)

const text = (value: unknown) => (typeof value === 'string' ? value : null)

// Fewer packets than this in a sample say nothing about loss (a muted track, a paused stream).
const MIN_PACKETS_FOR_LOSS = 10

function codecOf(stats: Map<string, Stat>, kind: 'audio' | 'video'): string | null {
  for (const type of ['outbound-rtp', 'inbound-rtp']) {
    for (const stat of stats.values()) {
      if (stat.type !== type || stat.kind !== kind || typeof stat.codecId !== 'string') continue
      const codec = text(stats.get(stat.codecId)?.mimeType)
      if (codec && (type === 'inbound-rtp' || num(stat.bytesSent) > 0)) return codec
    }
  }
  return null
}

function worstLoss(
  counters: PeerStats['packetCounters'],
  previous: PeerStats | null,
): number | null {
  let worst: number | null = null
  const consider = (ratio: number) => {
    worst = Math.max(worst ?? 0, ratio)
  }
  for (const [id, now] of Object.entries(counters)) {
    const before = previous?.packetCounters[id]
    if (!before) continue
    const lost = Math.max(0, now.lost - before.lost)
    const expected = lost + Math.max(0, now.received - before.received)
    if (expected >= MIN_PACKETS_FOR_LOSS) consider(lost / expected)
  }
  return worst
}

/** Reduces a `getStats()` report to the figures a call UI shows, rates relative to `previous`. */
export function summarizeStats(report: RTCStatsReport, previous: PeerStats | null): PeerStats {
  const stats = new Map<string, Stat>()
  report.forEach((stat: Stat) => {
    stats.set(stat.id, stat)
  })
  const pair = selectedPair(stats)
  const local = pair ? stats.get(String(pair.localCandidateId)) : undefined
  const remote = pair ? stats.get(String(pair.remoteCandidateId)) : undefined
  let packetsLost = 0
  let packetsReceived = 0
  let framesDecoded = 0
  let framesDropped = 0
  const jitter: Record<'audio' | 'video', number | null> = { audio: null, video: null }
  let videoBytesSent = 0
  const packetCounters: PeerStats['packetCounters'] = {}
  for (const stat of stats.values()) {
    // What we send, as the other side's receiver reports count it. Not `fractionLost`: it keeps
    // the last report's value for as long as no new one comes, long after a network healed.
    if (stat.type === 'remote-inbound-rtp' && typeof stat.packetsLost === 'number') {
      const sent = num(stats.get(String(stat.localId))?.packetsSent)
      if (sent > 0) {
        packetCounters[stat.id] = {
          lost: stat.packetsLost,
          received: sent - stat.packetsLost,
          sent: true,
        }
      }
    }
    if (stat.type === 'outbound-rtp' && stat.kind === 'video') {
      videoBytesSent += num(stat.bytesSent) + num(stat.headerBytesSent)
    }
    if (stat.type !== 'inbound-rtp') continue
    packetsLost += num(stat.packetsLost)
    packetsReceived += num(stat.packetsReceived)
    framesDecoded += num(stat.framesDecoded)
    framesDropped += num(stat.framesDropped)
    packetCounters[stat.id] = { lost: num(stat.packetsLost), received: num(stat.packetsReceived) }
    const kind = stat.kind === 'audio' ? 'audio' : 'video'
    if (typeof stat.jitter === 'number') jitter[kind] = Math.max(jitter[kind] ?? 0, stat.jitter)
  }
  const localType = (local?.candidateType as RTCIceCandidateType | undefined) ?? null
  const remoteType = (remote?.candidateType as RTCIceCandidateType | undefined) ?? null
  const available = pair?.availableOutgoingBitrate
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
    candidateType: localType,
    bytesReceived,
    bytesSent,
    jitterMs: jitterMs(jitter.audio ?? jitter.video),
    intervalLossRatio: worstLoss(packetCounters, previous),
    availableOutgoingBitrate: typeof available === 'number' ? available : null,
    route: pair ? (localType === 'relay' || remoteType === 'relay' ? 'relay' : 'direct') : null,
    remoteCandidateType: remoteType,
    localNetworkType: text(local?.networkType),
    protocol: text(local?.protocol),
    audioCodec: codecOf(stats, 'audio'),
    videoCodec: codecOf(stats, 'video'),
    videoOutboundBitrate: rate(videoBytesSent, previous?.videoBytesSent),
    videoBytesSent,
    packetCounters,
  }
}
