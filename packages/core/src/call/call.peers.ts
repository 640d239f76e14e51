import type { PeerStatus } from '../peer/peer.types'
import type { PeerView } from './call.types'

/** The call-level state the peers add up to. */
export type SessionStatus =
  | 'ready'
  | 'offering'
  | 'answering'
  | 'connected'
  | 'reconnecting'
  | 'failed'

/**
 * Folds per-peer negotiation states into one call state: the 1:1 call simply mirrors its peer;
 * with more peers, trouble and work in progress show before success.
 */
export function sessionStatus(peers: readonly PeerView[]): SessionStatus {
  const any = (status: PeerStatus) => peers.some((peer) => peer.status === status)
  if (peers.length === 0) return 'ready'
  if (peers.every((peer) => peer.status === 'failed')) return 'failed'
  if (any('reconnecting')) return 'reconnecting'
  if (any('answering')) return 'answering'
  if (any('offering')) return 'offering'
  if (any('connected')) return 'connected'
  return 'ready'
}

/** The child actor id of the negotiation with a peer. */
export const peerActorId = (peerId: string) => `peer:${peerId}`

/** Returns the peers with one of them updated. */
export function updatePeer(
  peers: readonly PeerView[],
  peerId: string,
  change: Partial<Omit<PeerView, 'peerId'>>,
): PeerView[] {
  return peers.map((peer) => (peer.peerId === peerId ? { ...peer, ...change } : peer))
}
