import type { LeaveReason } from '@duet/core/protocol'
import type { Logger } from '../ops/logger'
import type { ServerMetrics } from '../ops/serverMetrics'
import type { SignalingIo, SignalingSocket } from '../serverTypes'
import { roomChannel } from './channels'
import type { OwnedPlace, Place, RoomStore } from './roomStore'

/** The places held by sockets connected to this node. */
export class Presence {
  readonly #live = new Map<string, Place>()
  readonly #sockets = new Map<string, SignalingSocket>()

  /** Records that a socket of this node holds a place. */
  add(socket: SignalingSocket, place: Place): void {
    this.#live.set(socket.id, place)
    this.#sockets.set(place.peerId, socket)
  }

  /** Forgets a socket's place (it left, disconnected or lost it). */
  remove(socketId: string): void {
    const place = this.#live.get(socketId)
    if (place === undefined) return
    this.#live.delete(socketId)
    // A newer socket of the same peer (a resume) may have taken the peer id over already.
    if (this.#sockets.get(place.peerId)?.id === socketId) this.#sockets.delete(place.peerId)
  }

  /** The socket of this node that holds a peer's place, if it is here. */
  socketOf(peerId: string): SignalingSocket | undefined {
    return this.#sockets.get(peerId)
  }

  /** Places of this node's sockets, with their owners, for lease renewal. */
  owned(): OwnedPlace[] {
    return [...this.#live].map(([socketId, place]) => ({ ...place, socketId }))
  }

  /** Number of peers connected here. */
  get peers(): number {
    return this.#live.size
  }

  /** Number of rooms with a peer connected here. */
  get rooms(): number {
    return new Set([...this.#live.values()].map((place) => place.roomId)).size
  }
}

/** What the housekeeping loop works with. */
export interface HousekeepingContext {
  /** Where `peer:left` of freed places is announced. */
  io: SignalingIo
  /** The room store to sweep and renew leases in. */
  store: RoomStore
  /** This node's live places. */
  presence: Presence
  /** Receives expiries and failures. */
  logger: Logger
  /** Counts expiries. */
  metrics: ServerMetrics
  /** How often expired places are looked for. */
  sweepMs: number
  /** How often this node renews its live places' leases. */
  refreshMs: number
}

/** Announces a freed place to the room it was in. */
export function announceLeft(
  io: SignalingIo,
  { roomId, peerId }: Place,
  reason: LeaveReason,
): void {
  io.to(roomChannel(roomId)).emit('peer:left', { peerId, reason })
}

/**
 * Tells the room at once that a peer's connection dropped and until when its place is held, so
 * the others can say so instead of showing a frozen picture until the window passes.
 */
export function announceAway(io: SignalingIo, { roomId, peerId }: Place, heldUntil: number): void {
  io.to(roomChannel(roomId)).emit('peer:away', { peerId, heldUntil })
}

/** Tells the rest of the room that a peer took its held place back (the socket is not told). */
export function announceBack(socket: SignalingSocket, { roomId, peerId }: Place): void {
  socket.to(roomChannel(roomId)).emit('peer:back', { peerId })
}

/**
 * Starts the timers that free the places of peers who did not come back in time (telling their
 * rooms `peer:left`) and renew the leases of this node's live places. Returns a stop function.
 */
export function startHousekeeping(context: HousekeepingContext): () => void {
  const { io, store, presence, logger, metrics } = context
  let sweeping = false
  let refreshing = false

  const sweep = async (): Promise<void> => {
    // A slow store must not pile up overlapping sweeps.
    if (sweeping) return
    sweeping = true
    try {
      for (const place of await store.sweep()) {
        metrics.expired.inc()
        announceLeft(io, place, 'expired')
        logger.info('peer expired', { ...place })
      }
    } catch (error) {
      logger.warn('sweep failed', { error })
    } finally {
      sweeping = false
    }
  }

  const refresh = async (): Promise<void> => {
    if (refreshing) return
    refreshing = true
    try {
      await store.refresh(presence.owned())
    } catch (error) {
      logger.warn('lease renewal failed', { error })
    } finally {
      refreshing = false
    }
  }

  const sweepTimer = setInterval(() => void sweep(), context.sweepMs)
  const refreshTimer = setInterval(() => void refresh(), context.refreshMs)
  // Housekeeping alone must not keep a process alive.
  sweepTimer.unref()
  refreshTimer.unref()
  return () => {
    clearInterval(sweepTimer)
    clearInterval(refreshTimer)
  }
}
