import { randomUUID } from 'node:crypto'

/** A peer held in a room, with the socket its relayed messages go to. */
export interface RoomMember {
  /** Server-assigned id, what other peers address. */
  peerId: string
  /** The socket.io socket id (a socket.io room), where relays are delivered. */
  socketId: string
}

/** Outcome of a join: the new member and those already there, or a full room. */
export type JoinOutcome =
  | { ok: true; member: RoomMember; others: RoomMember[] }
  | { ok: false; reason: 'full' }

/**
 * Room membership: who is in which room, in join order. Kept behind this interface so a
 * shared store (e.g. Redis, for several server nodes) can replace the in-memory one.
 */
export interface RoomStore {
  /** Adds a socket to a room unless the room already holds `capacity` members. */
  join(roomId: string, socketId: string, capacity: number): JoinOutcome
  /** Removes a member; returns whether it was there. */
  leave(roomId: string, peerId: string): boolean
  /** Finds a member of a room by peer id. */
  member(roomId: string, peerId: string): RoomMember | undefined
  /** Members of a room, oldest first. */
  members(roomId: string): RoomMember[]
}

/** The single-process room store: a Map of rooms, each a Map of members in insertion order. */
export class MemoryRoomStore implements RoomStore {
  // Map iteration follows insertion order, which gives "oldest first" for free.
  readonly #rooms = new Map<string, Map<string, RoomMember>>()

  join(roomId: string, socketId: string, capacity: number): JoinOutcome {
    const room = this.#rooms.get(roomId) ?? new Map<string, RoomMember>()
    if (room.size >= capacity) return { ok: false, reason: 'full' }
    const others = [...room.values()]
    // A fresh id rather than the socket id: socket ids are routing addresses and change on
    // reconnect; the peer id only names this stay in this room.
    const member: RoomMember = { peerId: randomUUID(), socketId }
    room.set(member.peerId, member)
    this.#rooms.set(roomId, room)
    return { ok: true, member, others }
  }

  leave(roomId: string, peerId: string): boolean {
    const room = this.#rooms.get(roomId)
    if (!room?.delete(peerId)) return false
    // Drop empty rooms so abandoned room ids do not accumulate.
    if (room.size === 0) this.#rooms.delete(roomId)
    return true
  }

  member(roomId: string, peerId: string): RoomMember | undefined {
    return this.#rooms.get(roomId)?.get(peerId)
  }

  members(roomId: string): RoomMember[] {
    return [...(this.#rooms.get(roomId)?.values() ?? [])]
  }

  /** Number of non-empty rooms; for tests and metrics. */
  get size(): number {
    return this.#rooms.size
  }
}
