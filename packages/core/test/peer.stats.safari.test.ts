import { describe, expect, it } from 'vitest'
import { summarizeStats } from '../src/peer/peer.stats'

// Safari reports the W3C webrtc-stats dictionaries and none of Chromium's extras (goog*,
// `mediaSourceId`-linked media-source entries, legacy callback stats): the summary a call UI
// shows must come from spec fields alone. Chromium's extras are simply absent here.
const report = (...stats: Record<string, unknown>[]) =>
  new Map(stats.map((stat) => [stat.id as string, stat])) as unknown as RTCStatsReport

const transport = { id: 'T1', type: 'transport', selectedCandidatePairId: 'CP1' }
const pair = (bytesReceived: number, bytesSent: number) => ({
  id: 'CP1',
  type: 'candidate-pair',
  localCandidateId: 'L1',
  remoteCandidateId: 'R1',
  state: 'succeeded',
  nominated: true,
  currentRoundTripTime: 0.012,
  bytesReceived,
  bytesSent,
})
const local = { id: 'L1', type: 'local-candidate', candidateType: 'relay', protocol: 'udp' }
const inboundVideo = {
  id: 'IV',
  type: 'inbound-rtp',
  kind: 'video',
  packetsReceived: 990,
  packetsLost: 10,
  framesDecoded: 300,
  framesDropped: 2,
}
const inboundAudio = {
  id: 'IA',
  type: 'inbound-rtp',
  kind: 'audio',
  packetsReceived: 500,
  packetsLost: 0,
}

describe('summarizeStats', () => {
  it('should summarise a report holding only W3C spec fields, as Safari gives it', () => {
    const first = summarizeStats(
      report(transport, pair(10_000, 5_000), local, inboundVideo, inboundAudio),
      null,
    )
    expect(first).toMatchObject({
      roundTripTimeMs: 12,
      candidateType: 'relay',
      packetsLost: 10,
      packetLossRatio: 10 / 1500,
      framesDecoded: 300,
      framesDropped: 2,
      bytesReceived: 10_000,
      bytesSent: 5_000,
      inboundBitrate: null,
    })
    const second = summarizeStats(
      report(transport, pair(20_000, 5_000), local, inboundVideo, inboundAudio),
      { ...first, timestamp: first.timestamp - 1000 },
    )
    expect(second.inboundBitrate).toBeGreaterThan(0)
    expect(second.outboundBitrate).toBe(0)
  })

  it('should find the pair in use without a transport entry, by nominated and succeeded', () => {
    const summary = summarizeStats(report(pair(1, 2), local, inboundVideo), null)
    expect(summary).toMatchObject({ roundTripTimeMs: 12, candidateType: 'relay', bytesSent: 2 })
  })
})
