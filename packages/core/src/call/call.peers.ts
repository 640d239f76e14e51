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

// A failed connection to a peer whose place the server still holds is not the end: the peer
// may come back within the window, and if not, it leaves the room rather than failing the call.
const statusOf = (peer: PeerView): PeerStatus =>
  peer.status === 'failed' && peer.heldUntil !== null ? 'reconnecting' : peer.status

/**
 * Folds per-peer negotiation states into one call state: the 1:1 call simply mirrors its peer;
 * with more peers, trouble and work in progress show before success.
 */
export function sessionStatus(peers: readonly PeerView[]): SessionStatus {
  const any = (status: PeerStatus) => peers.some((peer) => statusOf(peer) === status)
  if (peers.length === 0) return 'ready'
  if (peers.every((peer) => statusOf(peer) === 'failed')) return 'failed'
  if (any('reconnecting')) return 'reconnecting'
  if (any('answering')) return 'answering'
  if (any('offering')) return 'offering'
  if (any('connected')) return 'connected'
  return 'ready'
}

/**
 * Draws a peer's presence from what is known of it: away while the server holds its place, ICE
 * is interrupted or the connection is being restarted; `awaySince` keeps the first moment.
 */
export function withPresence(peer: PeerView, now: number): PeerView {
  const away = peer.heldUntil !== null || peer.iceInterrupted || peer.status === 'reconnecting'
  if (!away)
    return peer.presence === 'present' ? peer : { ...peer, presence: 'present', awaySince: null }
  return peer.presence === 'away' ? peer : { ...peer, presence: 'away', awaySince: now }
}

/** The child actor id of the negotiation with a peer. */
export const peerActorId = (peerId: string) => `peer:${peerId}`

/** Returns the peers with one of them updated. */
export function updatePeer(
  peers: readonly PeerView[],
  peerId: string,
  change: Partial<Omit<PeerView, 'peerId'>>,
): PeerView[] {
  const now = Date.now()
  return peers.map((peer) =>
    peer.peerId === peerId ? withPresence({ ...peer, ...change }, now) : peer,
  )
}
