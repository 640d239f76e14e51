import type { IceRefreshSuccess, JoinSuccess, OfferSignal, Signal } from '../protocol'
import type { SignalingError } from './SignalingError'

/** What a signaling transport reports after it connected. */
export type SignalingNotice =
  | { type: 'peer-joined'; peerId: string }
  | { type: 'peer-left'; peerId: string }
  /** A peer's connection dropped; the server holds its place until `heldUntil` (ms since epoch). */
  | { type: 'peer-away'; peerId: string; heldUntil: number }
  /** A peer that was away is back, as the same peer. */
  | { type: 'peer-back'; peerId: string }
  | { type: 'signal'; from: string; signal: Signal }
  /** The connection dropped; the transport is trying to get back. */
  | { type: 'disconnected'; reason: string }
  /** Back, in the same room as the same peer: nothing else changed. */
  | { type: 'reconnected' }
  /** Back, but the old place was gone: joined again as a new peer with these peers. */
  | { type: 'rejoined'; result: JoinSuccess }
  /** Back, but the room could not be joined again. */
  | { type: 'rejoin-failed'; error: SignalingError }

/** What a join may carry besides the room. */
export interface JoinOptions {
  /** The joiner's offer made ahead, for the oldest peer of the room. */
  offer?: OfferSignal
}

/**
 * A way to reach the other peers. `createSocketSignaling` is the Socket.io one; inject your
 * own for other transports or tests.
 */
export interface SignalingTransport {
  /**
   * Joins a room; rejects with a `SignalingError` (code from the server, or unreachable). An
   * `offer` made ahead may ride along: a transport that hands it to a peer says so in the result's
   * `offeredTo`; one that ignores it leaves the call to send it as a signal.
   */
  join(roomId: string, options?: JoinOptions): Promise<JoinSuccess>
  /** Relays a signal to a peer in the same room; rejects with a `SignalingError`. */
  send(to: string, signal: Signal): Promise<void>
  /** Fresh ICE servers (new TURN credentials) for the current room, when the server has any. */
  refreshIceServers?(): Promise<IceRefreshSuccess>
  /**
   * The page woke or the network came back: reconnect now if the connection is down, rather
   * than at the end of a reconnection backoff. Optional; a transport without it reconnects on
   * its own schedule.
   */
  wake?(): void
  /**
   * Leaves the room and joins it again as a new peer, so that every connection starts over:
   * the call's last resort once ICE restarts could not heal any peer. Optional; without it such
   * a call ends `failed`.
   */
  rejoin?(): Promise<JoinSuccess>
  /** Listens to notices; returns the unsubscribe. */
  subscribe(listener: (notice: SignalingNotice) => void): () => void
  /** Leaves the room and releases the connection; safe to call twice. */
  close(): void
}
