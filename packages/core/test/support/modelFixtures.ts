import type { PeerStats } from '../../src/peer/peer.stats'

/** An offer as the machines see it: they route it, never parse it. */
export const OFFER = { type: 'offer', sdp: 'v=0' } as const

/** Node has no MediaStream; the machines only store and pass it on, so its shape will do. */
export const STREAM = { id: 'remote' } as unknown as MediaStream

/** A stats sample with every field set. */
export const STATS: PeerStats = {
  timestamp: 0,
  roundTripTimeMs: 10,
  inboundBitrate: null,
  outboundBitrate: null,
  packetsLost: 0,
  packetLossRatio: null,
  framesDecoded: 0,
  framesDropped: 0,
  candidateType: 'host',
  bytesReceived: 0,
  bytesSent: 0,
  jitterMs: 1,
  intervalLossRatio: 0,
  availableOutgoingBitrate: 1_000_000,
  route: 'direct',
  remoteCandidateType: 'host',
  localNetworkType: 'ethernet',
  protocol: 'udp',
  audioCodec: 'audio/opus',
  videoCodec: 'video/VP8',
  videoOutboundBitrate: null,
  videoBytesSent: 0,
  packetCounters: {},
}
