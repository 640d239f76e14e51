import { describeCallEvent, describePeerCommand, describePeerEvent } from './describeEvent'
import { activePaths, isStateValue, leafPaths } from './statePaths'
import type {
  ActivePeer,
  ActiveState,
  InspectionEvent,
  MachineSource,
  MachineTimeline,
  TimelineEntry,
  TimelineOptions,
  TimelineSnapshot,
} from './timeline.types'

type ActorRefLike = InspectionEvent['actorRef']
type SnapshotEvent = Extract<InspectionEvent, { type: '@xstate.snapshot' }>
type DeliveryEvent = Extract<InspectionEvent, { type: '@xstate.event' }>

/**
 * A place in the timeline, taken when an event is delivered and filled once its actor has
 * processed it. xstate reports a snapshot only after the whole transition, so a peer's
 * `connection: connected` arrives after the `peer connected` it caused in the call; ordering
 * by delivery keeps cause before effect.
 */
interface Slot {
  id: number
  at: number
  /** Null until processed, and after when the event is not worth a line (stats). */
  entry: TimelineEntry | null
  settled: boolean
}

/** A slot waiting for an actor's next snapshot: for its own event, or for a command it gave. */
interface Waiting {
  slot: Slot
  /** The delivered event (matched by identity), or null for a command to a helper actor. */
  event: object | null
  draft?: Pick<TimelineEntry, 'source' | 'event' | 'label'>
}

// The call names each negotiation actor `peer:<peerId>` (core's `peerActorId`).
const PEER_ACTOR = /^peer:(.+)$/

function sourceOf(actorRef: ActorRefLike | undefined, rootId: string): MachineSource | null {
  if (!actorRef) return null
  if (actorRef.sessionId === rootId) return { machine: 'call' }
  // `id` is on every actor at runtime; inspection types only promise `sessionId`.
  const id: unknown = Reflect.get(actorRef, 'id')
  const peerId = typeof id === 'string' ? PEER_ACTOR.exec(id)?.[1] : undefined
  return peerId === undefined ? null : { machine: 'peer', peerId }
}

/**
 * Records what a call's machines do, from the inspection events of `createCall({ inspect })`:
 * a bounded timeline of events in plain words with the state each one led to, and the active
 * state of the call and of every peer negotiation. Plain TypeScript, so any UI can render it.
 * @example
 * const machine = createMachineTimeline()
 * const call = useCall({ signaling, roomId, inspect: machine.inspect })
 * machine.subscribe(() => render(machine.getSnapshot()))
 */
export function createMachineTimeline(options: TimelineOptions = {}): MachineTimeline {
  const limit = options.limit ?? 500
  const now = options.now ?? (() => performance.now())
  let startedAt: number | undefined
  let nextId = 1
  let slots: Slot[] = []
  const waiting = new Map<string, Waiting[]>()
  let call: ActiveState | null = null
  const peers = new Map<string, ActivePeer>()
  const listeners = new Set<() => void>()
  let snapshot: TimelineSnapshot = { entries: [], activeStates: { call: null, peers: [] } }
  let dirty = false
  let notifying = false

  const elapsed = () => (startedAt === undefined ? 0 : now() - startedAt)

  function take(): Slot {
    const slot: Slot = { id: nextId++, at: elapsed(), entry: null, settled: false }
    slots.push(slot)
    return slot
  }

  function wait(sessionId: string, waiter: Waiting): void {
    waiting.set(sessionId, [...(waiting.get(sessionId) ?? []), waiter])
  }

  // Keeps the last `limit` entries; a slot whose event never got processed (its actor stopped
  // first) goes once it is that old, rather than being kept forever.
  function trim(): void {
    slots = slots.filter((slot) => slot.entry || !slot.settled)
    let kept = 0
    let first = slots.length
    while (first > 0 && kept < limit) {
      first--
      if (slots[first]!.entry) kept++
    }
    if (first > 0) slots = slots.slice(first)
  }

  function notify(): void {
    dirty = true
    if (notifying) return
    notifying = true
    // Inspection fires many times per task; one notification per burst is enough for a UI.
    queueMicrotask(() => {
      notifying = false
      for (const listener of [...listeners]) listener()
    })
  }

  function onDelivery(event: DeliveryEvent): void {
    const { actorRef, sourceRef, rootId } = event
    if (sourceOf(actorRef, rootId)) {
      wait(actorRef.sessionId, { slot: take(), event: event.event })
      return
    }
    // Among the rest, only what a peer tells its connection actor (an ICE restart) is listed.
    const from = sourceOf(sourceRef, rootId)
    const label = describePeerCommand(event.event)
    if (from?.machine !== 'peer' || !sourceRef || label === null) return
    const draft = { source: from, event: event.event.type, label }
    wait(sourceRef.sessionId, { slot: take(), event: null, draft })
  }

  function onSnapshot(event: SnapshotEvent): void {
    const source = sourceOf(event.actorRef, event.rootId)
    const value: unknown = Reflect.get(event.snapshot, 'value')
    if (!source || !isStateValue(value)) return
    const active: ActiveState = { state: leafPaths(value).join(', '), paths: activePaths(value) }
    const previous = source.machine === 'call' ? call : peers.get(source.peerId)
    const moved = previous?.state !== active.state
    const label = (source.machine === 'call' ? describeCallEvent : describePeerEvent)(event.event)

    const queue = waiting.get(event.actorRef.sessionId) ?? []
    const own = queue.find((w) => w.event === event.event)
    // Events that skip delivery (xstate's own stop) have no slot yet: they happen now.
    const slot = own?.slot ?? take()
    slot.settled = true
    if (label !== null || moved) {
      const { id, at } = slot
      const type = event.event.type
      slot.entry = {
        id,
        at,
        source,
        event: type,
        label: label ?? type,
        state: active.state,
        changed: moved,
      }
    }
    // Commands given during this transition take the state it led to.
    for (const { slot: given, draft } of queue) {
      if (!draft) continue
      given.entry = { id: given.id, at: given.at, ...draft, state: active.state, changed: false }
      given.settled = true
    }
    const rest = queue.filter((w) => w !== own && !w.draft)
    if (rest.length > 0) waiting.set(event.actorRef.sessionId, rest)
    else waiting.delete(event.actorRef.sessionId)

    if (source.machine === 'call') {
      call = active
      pruneStoppedPeers(event.snapshot)
    } else if (event.snapshot.status === 'stopped') {
      // What was still queued for it will never be processed: nothing to wait for.
      for (const w of rest) w.slot.settled = true
      peers.delete(source.peerId)
      waiting.delete(event.actorRef.sessionId)
    } else {
      peers.set(source.peerId, { peerId: source.peerId, ...active })
    }
    // Amortized: filtering every slot on every snapshot cost the page's main thread most
    // during a call's set-up, when events come in bursts.
    if (slots.length > 2 * limit) trim()
    notify()
  }

  // A negotiation the call no longer holds as a child is gone, whether or not its stop was seen.
  function pruneStoppedPeers(callSnapshot: object): void {
    const children: unknown = Reflect.get(callSnapshot, 'children')
    if (typeof children !== 'object' || children === null) return
    for (const peerId of peers.keys()) {
      if (!(`peer:${peerId}` in children)) peers.delete(peerId)
    }
  }

  function inspect(event: InspectionEvent): void {
    startedAt ??= now()
    // An exception here would surface inside the call's own transitions: diagnostics must
    // never be what breaks a call.
    try {
      if (event.type === '@xstate.event') onDelivery(event)
      else if (event.type === '@xstate.snapshot') onSnapshot(event)
    } catch (error) {
      console.error('[machine timeline]', error)
    }
  }

  function getSnapshot(): TimelineSnapshot {
    if (dirty) {
      dirty = false
      const entries = slots.flatMap((slot) => (slot.entry ? [slot.entry] : [])).slice(-limit)
      snapshot = { entries, activeStates: { call, peers: [...peers.values()] } }
    }
    return snapshot
  }

  return {
    inspect,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    getSnapshot,
    elapsed,
    get entries() {
      return getSnapshot().entries
    },
    get activeStates() {
      return getSnapshot().activeStates
    },
  }
}
