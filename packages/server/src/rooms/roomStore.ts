import type { IncomingSignal } from '@duet/core/protocol'

/** A place in a room: which peer in which room. */
export interface Place {
  /** The room. */
  roomId: string
  /** The peer's server-assigned id there. */
  peerId: string
}

/** A place together with the socket that currently owns it. */
export interface OwnedPlace extends Place {
  /** The Socket.io socket id holding the place. */
  socketId: string
}

/** Outcome of a join: the peers already there (oldest first), or a full room. */
export type JoinOutcome = { ok: true; others: string[] } | { ok: false; reason: 'full' }

/**
 * Outcome of taking a place back after a reconnect:
 * - `ok`: the place is the socket's again; `replaced` names the socket that held it before
 *   (to be disconnected), `others` the other peers, `kept` whether relays were kept meanwhile:
 *   then the place stays away (new relays queue behind them, so order holds) until
 *   {@link RoomStore.forgetKept} has emptied the mailbox;
 * - `expired`: its window had run out; the store freed it now and the caller announces it;
 * - `missing`: no such place (left, swept, or never existed);
 * - `taken`: it is no longer owned by the socket the caller expected (taken over since).
 */
export type ResumeOutcome =
  | { ok: true; replaced: string | undefined; others: string[]; kept: boolean }
  | { ok: false; reason: 'expired' | 'missing' | 'taken' }

/**
 * Where a relay should go: `live` (deliver now), `held` (the peer is away; the store kept the
 * signal for its return), `missing` (no such peer), `gone` (the sender itself no longer owns its
 * place), or refused because keeping it would pass a byte budget: `mailbox-full` (that peer's),
 * `room-full` (its room's) or `store-full` (everything held on this node, or in the shared
 * Redis).
 */
export type Delivery = 'live' | 'held' | 'missing' | 'gone' | BudgetRefusal

/** A relay refused because keeping it would pass a budget. */
export type BudgetRefusal = 'mailbox-full' | 'room-full' | 'store-full'

/** Bytes a store may hold for away peers, counted as the JSON of each kept relay. */
export interface HeldBudgets {
  /** Per away peer. */
  mailboxBytes: number
  /** Per room, all its away peers together. */
  roomBytes: number
  /** In the whole store: this node's memory, or the Redis every node shares. */
  storeBytes: number
}

/** Bytes a kept relay counts for: its JSON in UTF-8, as Redis stores it. */
export const heldSize = (json: string): number => Buffer.byteLength(json)

/** Which budget, if any, a relay of `size` bytes would pass. */
export function overBudget(
  budgets: HeldBudgets,
  held: { mailbox: number; room: number; store: number },
  size: number,
): BudgetRefusal | undefined {
  if (held.mailbox + size > budgets.mailboxBytes) return 'mailbox-full'
  if (held.room + size > budgets.roomBytes) return 'room-full'
  if (held.store + size > budgets.storeBytes) return 'store-full'
  return undefined
}

/**
 * Room membership, shared by every server node. Each mutation is atomic, so two joins racing for
 * the last place (on one node or two) let exactly one in. Ownership is checked on every
 * socket-scoped change: a socket that lost its place to a newer one cannot free it.
 */
export interface RoomStore {
  /** Adds a peer unless the room already holds `capacity`. */
  join(place: OwnedPlace, capacity: number): Promise<JoinOutcome>
  /**
   * Gives a place back to a reconnected socket, only if `previousOwner` still owns it (the
   * socket itself when Socket.io recovered it, the one a resume token names otherwise) or the
   * socket does already (the same resume asked again): a compare-and-swap that makes each
   * resume token work once. See {@link ResumeOutcome}.
   */
  resume(place: OwnedPlace, previousOwner: string): Promise<ResumeOutcome>
  /** Marks the place away for `ms`: relays to it are kept, and it is freed if not resumed. */
  hold(place: OwnedPlace, ms: number): Promise<boolean>
  /** Frees the place if this socket owns it; returns whether it did. */
  leave(place: OwnedPlace): Promise<boolean>
  /**
   * Decides where a relay from `sender` to `to` (same room) goes, keeping it in the mailbox
   * when that peer is away. The one method on every relay's path: a store that can answer at
   * once (in memory) returns the value itself, sparing the relay a promise and a microtask.
   */
  deliver(sender: OwnedPlace, to: string, message: IncomingSignal): Delivery | Promise<Delivery>
  /**
   * The oldest kept relays of a resumed place, about `maxBytes` of them (at least one), without
   * removing them; undefined when the socket no longer owns the place.
   */
  keptPage(place: OwnedPlace, maxBytes: number): Promise<IncomingSignal[] | undefined>
  /**
   * Drops the `count` oldest kept relays, once the peer acknowledged them; when none remain the
   * place is live again. Returns how many remain, or -1 when the socket no longer owns it.
   */
  forgetKept(place: OwnedPlace, count: number): Promise<number>
  /** Renews the leases of places owned by live sockets of this node (see `leaseMs`). */
  refresh(places: readonly OwnedPlace[]): Promise<void>
  /** Frees every place whose hold or lease ran out and returns them, each to one caller only. */
  sweep(): Promise<Place[]>
  /** Resolves when the store is reachable; rejects otherwise. */
  check(): Promise<void>
  /** Releases connections; the store is unusable afterwards. */
  close(): Promise<void>
}

/** Most signals kept for one away peer, whatever their size; beyond it relays are refused. */
export const MAILBOX_LIMIT = 256
