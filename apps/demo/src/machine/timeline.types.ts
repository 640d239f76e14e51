import type { InspectionObserver } from '@duet/core'

/** An xstate inspection event, as `createCall({ inspect })` delivers it. */
export type InspectionEvent = Parameters<
  Extract<InspectionObserver, (...args: never[]) => unknown>
>[0]

/** Which machine an entry or an active state belongs to. */
export type MachineSource = { machine: 'call' } | { machine: 'peer'; peerId: string }

/** One line of the timeline: something that happened, and where the machine went. */
export interface TimelineEntry {
  /** Increasing number, unique within a timeline (a stable key for lists). */
  id: number
  /** Milliseconds since the call was created. */
  at: number
  /** The call itself, or the negotiation with one peer. */
  source: MachineSource
  /** The raw event type, e.g. `PEER.SIGNAL`. */
  event: string
  /** The event in plain words, e.g. `offer sent`. */
  label: string
  /** The state after the event, as leaf path(s): `room.waiting`. */
  state: string
  /** Whether the event moved the machine to another state. */
  changed: boolean
}

/** Where one machine is right now. */
export interface ActiveState {
  /** Leaf path(s) joined with `, `: `connected.stable`. What a person reads. */
  state: string
  /** Every active path, ancestors included: `connected`, `connected.stable`. What gets highlighted. */
  paths: readonly string[]
}

/** A peer negotiation and where it is. */
export interface ActivePeer extends ActiveState {
  peerId: string
}

/** Where the call and each of its peer negotiations are. */
export interface ActiveStates {
  /** Null before the call actor started. */
  call: ActiveState | null
  /** One per live negotiation, in the order they started; stopped ones are dropped. */
  peers: readonly ActivePeer[]
}

/** An immutable view of a timeline; a new object after every change. */
export interface TimelineSnapshot {
  /** The last entries, oldest first, at most `limit` of them. */
  entries: readonly TimelineEntry[]
  activeStates: ActiveStates
}

/** Options of `createMachineTimeline`. */
export interface TimelineOptions {
  /**
   * Entries kept; older ones are dropped first.
   * @default 500
   */
  limit?: number
  /**
   * Clock in milliseconds.
   * @default performance.now
   */
  now?: () => number
}

/** Records a call's inspection events as a timeline and tracks its active states. */
export interface MachineTimeline {
  /** Pass to `useCall({ ..., inspect })`: receives the call's inspection events. */
  inspect: (event: InspectionEvent) => void
  /** Calls `listener` after changes (batched per microtask); returns the unsubscribe. */
  subscribe: (listener: () => void) => () => void
  /** The current state of the timeline; the same object until something changes. */
  getSnapshot: () => TimelineSnapshot
  /** Milliseconds since the call was created (0 before), on the entries' time scale. */
  elapsed: () => number
  /** Shorthand for `getSnapshot().entries`. */
  readonly entries: readonly TimelineEntry[]
  /** Shorthand for `getSnapshot().activeStates`. */
  readonly activeStates: ActiveStates
}
