import type { JoinSuccess, Signal } from '../protocol'

/** What a signaling transport reports after it connected. */
export type SignalingNotice =
  | { type: 'peer-joined'; peerId: string }
  | { type: 'peer-left'; peerId: string }
  | { type: 'signal'; from: string; signal: Signal }
  | { type: 'disconnected'; reason: string }
  | { type: 'reconnected' }

/**
 * A way to reach the other peers. `createSocketSignaling` is the Socket.io one; inject your
 * own for other transports or tests.
 */
export interface SignalingTransport {
  /** Joins a room; rejects with a `SignalingError` (code from the server, or unreachable). */
  join(roomId: string): Promise<JoinSuccess>
  /** Relays a signal to a peer in the same room; rejects with a `SignalingError`. */
  send(to: string, signal: Signal): Promise<void>
  /** Listens to notices; returns the unsubscribe. */
  subscribe(listener: (notice: SignalingNotice) => void): () => void
  /** Leaves the room and releases the connection; safe to call twice. */
  close(): void
}
