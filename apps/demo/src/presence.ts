import type { PeerView } from '@duet/core'

/** How the demo names the person at the other end: it asks nobody for a name. */
export const PEER_NAME = 'The other person'

/** The banner over an away peer's tile, counting down to when the server frees its place. */
export function awayCaption(peer: PeerView, now: number): string {
  const waiting = `${PEER_NAME}'s connection dropped, waiting for them…`
  if (peer.heldUntil === null) return waiting
  // The clock ticks once a second: a banner that just appeared counts from when the peer went.
  const at = Math.max(now, peer.awaySince ?? now)
  return `${waiting} (${Math.max(0, Math.ceil((peer.heldUntil - at) / 1000))} s)`
}

/**
 * What to say once peers are gone from the room: they left (hung up, closed the tab), or they
 * were away and did not come back in time. Null when nobody left.
 */
export function departureCaption(
  before: readonly PeerView[],
  after: readonly PeerView[],
): string | null {
  const gone = before.find((peer) => !after.some((other) => other.peerId === peer.peerId))
  if (!gone) return null
  return gone.presence === 'away' ? `${PEER_NAME} did not come back` : `${PEER_NAME} left`
}

/** Calls `tick` with the time every second (for countdowns); returns the stop. */
export function everySecond(tick: (now: number) => void): () => void {
  const timer = setInterval(() => tick(Date.now()), 1000)
  return () => clearInterval(timer)
}
