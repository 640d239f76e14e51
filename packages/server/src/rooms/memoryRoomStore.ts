import type { IncomingSignal } from '@duet/core/protocol'
import type { Delivery, HeldBudgets, JoinOutcome, OwnedPlace, Place } from './roomStore'
import {
  heldSize,
  MAILBOX_LIMIT,
  overBudget,
  type ResumeOutcome,
  type RoomStore,
} from './roomStore'

interface Kept {
  message: IncomingSignal
  bytes: number
}

interface Entry {
  socketId: string
  /** Set while the peer is away: when its place is freed. */
  heldUntil: number | undefined
  /** Resumed with relays still kept: new ones queue behind them until they are acknowledged. */
  draining: boolean
  mailbox: Kept[]
  mailboxBytes: number
}

/** Options of {@link MemoryRoomStore}. */
export interface MemoryRoomStoreOptions {
  /** Byte budgets for relays kept for away peers. */
  budgets: HeldBudgets
  /** Clock in ms, swappable for tests. */
  now?: () => number
}

/**
 * The single-process room store: a Map of rooms, each a Map of peers in join order. Every
 * method runs synchronously inside, so each is atomic on Node's one thread.
 */
export class MemoryRoomStore implements RoomStore {
  // Map iteration follows insertion order, which gives "oldest first" for free.
  readonly #rooms = new Map<string, Map<string, Entry>>()
  readonly #held = new Map<Entry, Place>()
  readonly #roomBytes = new Map<string, number>()
  #storeBytes = 0
  readonly #budgets: HeldBudgets
  readonly #now: () => number

  constructor(options: MemoryRoomStoreOptions) {
    this.#budgets = options.budgets
    this.#now = options.now ?? Date.now
  }

  /** Bytes of relays kept for away peers, in the whole store. */
  get heldBytes(): number {
    return this.#storeBytes
  }

  async join({ roomId, peerId, socketId }: OwnedPlace, capacity: number): Promise<JoinOutcome> {
    const room = this.#rooms.get(roomId) ?? new Map<string, Entry>()
    if (room.size >= capacity) return { ok: false, reason: 'full' }
    const others = [...room.keys()]
    room.set(peerId, {
      socketId,
      heldUntil: undefined,
      draining: false,
      mailbox: [],
      mailboxBytes: 0,
    })
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
    entry.socketId = place.socketId
    entry.heldUntil = undefined
    entry.draining = entry.mailbox.length > 0
    this.#held.delete(entry)
    const others = [...(this.#rooms.get(place.roomId)?.keys() ?? [])].filter(
      (peerId) => peerId !== place.peerId,
    )
    return { ok: true, replaced, others, kept: entry.draining }
  }

  async keptPage(place: OwnedPlace, maxBytes: number): Promise<IncomingSignal[] | undefined> {
    const entry = this.#entry(place)
    if (!entry || entry.socketId !== place.socketId) return undefined
    const page: IncomingSignal[] = []
    let bytes = 0
    for (const kept of entry.mailbox) {
      if (page.length > 0 && bytes + kept.bytes > maxBytes) break
      page.push(kept.message)
      bytes += kept.bytes
    }
    return page
  }

  async forgetKept(place: OwnedPlace, count: number): Promise<number> {
    const entry = this.#entry(place)
    if (!entry || entry.socketId !== place.socketId) return -1
    const forgotten = entry.mailbox.splice(0, count)
    this.#release(place.roomId, entry, forgotten)
    if (entry.mailbox.length === 0) entry.draining = false
    return entry.mailbox.length
  }

  async hold(place: OwnedPlace, ms: number): Promise<boolean> {
    const entry = this.#entry(place)
    if (!entry || entry.socketId !== place.socketId) return false
    entry.heldUntil = this.#now() + ms
    entry.draining = false
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
    if (entry.heldUntil === undefined && !entry.draining) return 'live'
    if (entry.mailbox.length >= MAILBOX_LIMIT) return 'mailbox-full'
    // Sized only on this path: a live relay is never serialized here.
    const bytes = heldSize(JSON.stringify(message))
    const roomBytes = this.#roomBytes.get(sender.roomId) ?? 0
    const held = { mailbox: entry.mailboxBytes, room: roomBytes, store: this.#storeBytes }
    const refused = overBudget(this.#budgets, held, bytes)
    if (refused) return refused
    entry.mailbox.push({ message, bytes })
    entry.mailboxBytes += bytes
    this.#roomBytes.set(sender.roomId, roomBytes + bytes)
    this.#storeBytes += bytes
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

  #release(roomId: string, entry: Entry, forgotten: readonly Kept[]): void {
    let bytes = 0
    for (const kept of forgotten) bytes += kept.bytes
    if (bytes === 0) return
    entry.mailboxBytes -= bytes
    this.#storeBytes -= bytes
    const roomBytes = (this.#roomBytes.get(roomId) ?? 0) - bytes
    if (roomBytes > 0) this.#roomBytes.set(roomId, roomBytes)
    else this.#roomBytes.delete(roomId)
  }

  #remove({ roomId, peerId }: Place): void {
    const room = this.#rooms.get(roomId)
    const entry = room?.get(peerId)
    if (!room || !entry) return
    this.#release(roomId, entry, entry.mailbox)
    room.delete(peerId)
    this.#held.delete(entry)
    // Drop empty rooms so abandoned room ids do not accumulate.
    if (room.size === 0) this.#rooms.delete(roomId)
  }
}
