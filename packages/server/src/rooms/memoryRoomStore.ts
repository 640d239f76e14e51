import type { IncomingSignal } from '@duet/core/protocol'
import type { Delivery, JoinOutcome, OwnedPlace, Place } from './roomStore'
import { MAILBOX_LIMIT, type ResumeOutcome, type RoomStore } from './roomStore'

interface Entry {
  socketId: string
  /** Set while the peer is away: when its place is freed. */
  heldUntil: number | undefined
  mailbox: IncomingSignal[]
}

/**
 * The single-process room store: a Map of rooms, each a Map of peers in join order. Every
 * method runs synchronously inside, so each is atomic on Node's one thread.
 */
export class MemoryRoomStore implements RoomStore {
  // Map iteration follows insertion order, which gives "oldest first" for free.
  readonly #rooms = new Map<string, Map<string, Entry>>()
  readonly #held = new Map<Entry, Place>()
  readonly #now: () => number

  /** @param now clock in ms, swappable for tests */
  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  async join({ roomId, peerId, socketId }: OwnedPlace, capacity: number): Promise<JoinOutcome> {
    const room = this.#rooms.get(roomId) ?? new Map<string, Entry>()
    if (room.size >= capacity) return { ok: false, reason: 'full' }
    const others = [...room.keys()]
    room.set(peerId, { socketId, heldUntil: undefined, mailbox: [] })
    this.#rooms.set(roomId, room)
    return { ok: true, others }
  }

  async resume(place: OwnedPlace, previousOwner: string): Promise<ResumeOutcome> {
    const entry = this.#entry(place)
    if (!entry) return { ok: false, reason: 'missing' }
    if (entry.heldUntil !== undefined && entry.heldUntil < this.#now()) {
      this.#remove(place)
      return { ok: false, reason: 'expired' }
    }
    // The socket itself owning it already is a resume asked again after a lost answer.
    if (entry.socketId !== previousOwner && entry.socketId !== place.socketId) {
      return { ok: false, reason: 'taken' }
    }
    const replaced = entry.socketId === place.socketId ? undefined : entry.socketId
    const mailbox = entry.mailbox
    entry.socketId = place.socketId
    entry.heldUntil = undefined
    entry.mailbox = []
    this.#held.delete(entry)
    const others = [...(this.#rooms.get(place.roomId)?.keys() ?? [])].filter(
      (peerId) => peerId !== place.peerId,
    )
    return { ok: true, replaced, others, mailbox }
  }

  async hold(place: OwnedPlace, ms: number): Promise<boolean> {
    const entry = this.#entry(place)
    if (!entry || entry.socketId !== place.socketId) return false
    entry.heldUntil = this.#now() + ms
    this.#held.set(entry, { roomId: place.roomId, peerId: place.peerId })
    return true
  }

  async leave(place: OwnedPlace): Promise<boolean> {
    const entry = this.#entry(place)
    if (!entry || entry.socketId !== place.socketId) return false
    this.#remove(place)
    return true
  }

  deliver(sender: OwnedPlace, to: string, message: IncomingSignal): Delivery {
    // One room lookup for both ends: this runs on every relay.
    const room = this.#rooms.get(sender.roomId)
    if (room?.get(sender.peerId)?.socketId !== sender.socketId) return 'gone'
    const entry = room.get(to)
    if (!entry) return 'missing'
    if (entry.heldUntil === undefined) return 'live'
    if (entry.mailbox.length >= MAILBOX_LIMIT) return 'full'
    entry.mailbox.push(message)
    return 'held'
  }

  async refresh(): Promise<void> {
    // One process: a live socket's place cannot outlive its node, so it needs no lease.
  }

  async sweep(): Promise<Place[]> {
    const now = this.#now()
    const freed: Place[] = []
    for (const [entry, place] of this.#held) {
      if (entry.heldUntil !== undefined && entry.heldUntil < now) {
        this.#remove(place)
        freed.push(place)
      }
    }
    return freed
  }

  async check(): Promise<void> {}

  async close(): Promise<void> {}

  #entry({ roomId, peerId }: Place): Entry | undefined {
    return this.#rooms.get(roomId)?.get(peerId)
  }

  #remove({ roomId, peerId }: Place): void {
    const room = this.#rooms.get(roomId)
    const entry = room?.get(peerId)
    if (!room || !entry) return
    room.delete(peerId)
    this.#held.delete(entry)
    // Drop empty rooms so abandoned room ids do not accumulate.
    if (room.size === 0) this.#rooms.delete(roomId)
  }
}
