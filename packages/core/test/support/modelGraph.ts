import { getShortestPaths, type TraversalOptions } from '@xstate/graph'
import { expect } from 'vitest'
import {
  type AnyActorScope,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type AnyStateNode,
  type AnyTransitionDefinition,
  createEmptyActor,
  type EventObject,
  type InspectionEvent,
} from 'xstate'

/** One step of a generated path: the event sent, and the state the model says it leads to. */
export interface ModelStep<TSnapshot, TEvent> {
  event: TEvent
  state: TSnapshot
}

/** A path generated from the machine's graph, replayed later on a real actor. */
export interface ModelPath<TSnapshot, TEvent> {
  /** Readable event sequence, used as the test name. */
  description: string
  /** The initial state the path starts from. */
  start: TSnapshot
  steps: ModelStep<TSnapshot, TEvent>[]
}

/** What a set of runs (planned or replayed) went through: state node ids and transition keys. */
export interface Coverage {
  states: Set<string>
  transitions: Set<string>
}

export const emptyCoverage = (): Coverage => ({ states: new Set(), transitions: new Set() })

/** Every state node below the root, depth-first in document order. */
export function stateNodesOf(machine: AnyStateMachine): AnyStateNode[] {
  const visit = (node: AnyStateNode): AnyStateNode[] =>
    Object.values<AnyStateNode>(node.states)
      .sort((a, b) => a.order - b.order)
      .flatMap((child) => [child, ...visit(child)])
  return visit(machine.root)
}

/**
 * A transition definition's stable name. Definitions are objects owned by one machine instance
 * and `.provide()` makes new ones, so runs of a provided machine are matched by source, trigger
 * and position instead of identity.
 */
export function transitionKey(transition: AnyTransitionDefinition): string {
  const known = keys.get(transition)
  if (known) return known
  const { source, eventType } = transition
  const siblings = eventType === '' ? source.always : source.transitions.get(eventType)
  const index = siblings?.indexOf(transition) ?? -1
  if (index < 0) throw new Error(`${source.id}: transition on "${eventType}" not found`)
  const targets = transition.target?.map((target) => `#${target.id}`).join(',') ?? '(stays)'
  const key = `#${source.id} ${eventType === '' ? 'always' : eventType}[${index}] → ${targets}`
  keys.set(transition, key)
  return key
}
const keys = new WeakMap<AnyTransitionDefinition, string>()

/**
 * Every transition the machine declares: each `on` entry (targeted or not), `after` (xstate
 * files them under their `xstate.after.*` event in `transitions`) and `always`.
 */
export function transitionsOf(machine: AnyStateMachine): string[] {
  return [machine.root, ...stateNodesOf(machine)].flatMap((node) => [
    ...[...node.transitions.values()].flat().map(transitionKey),
    ...(node.always ?? []).map(transitionKey),
  ])
}

/** The state nodes `snapshot` is in, by id (root excluded). */
export function activeStates(snapshot: AnyMachineSnapshot): string[] {
  return snapshot._nodes.filter((node) => node.parent !== undefined).map((node) => node.id)
}

/**
 * Records one `@xstate.microstep` inspection event: the transition definitions it took and the
 * states it went through — eventless hops included, which a snapshot after the event never shows.
 */
export function recordMicrostep(coverage: Coverage, event: InspectionEvent): void {
  if (event.type !== '@xstate.microstep') return
  for (const transition of event._transitions) coverage.transitions.add(transitionKey(transition))
  for (const id of activeStates(event.snapshot as AnyMachineSnapshot)) {
    coverage.states.add(id)
  }
}

// A scope like the one @xstate/graph traverses with, whose system reports microsteps to us: the
// graph only says where an event leads, and we need which transition definitions got it there.
function probeScope(onInspect: (event: InspectionEvent) => void): AnyActorScope {
  const self = createEmptyActor()
  self.system.inspect(onInspect)
  return {
    self,
    id: 'probe',
    sessionId: 'probe',
    logger: () => {},
    defer: () => {},
    emit: () => {},
    system: self.system,
    stopChild: () => {},
    actionExecutor: () => {},
  }
}

/**
 * The `xstate.after.*` events the active states' timers would raise. The graph walks them as
 * ordinary edges; replays turn them back into elapsed time.
 */
export function timerEvents(snapshot: AnyMachineSnapshot): EventObject[] {
  const types = snapshot._nodes.flatMap((node) => node.after.map((delayed) => delayed.eventType))
  return [...new Set(types)].map((type) => ({ type }))
}

/** How to walk a machine's graph: sample events per state, and what makes two states the same. */
export interface ModelOptions<TSnapshot, TEvent, TInput> {
  input: TInput
  /** Events that can happen in a state, payloads derived from its context. */
  events: (snapshot: TSnapshot) => TEvent[]
  /** The abstraction the graph's vertices are built on; replays compare this too. */
  serializeState: (snapshot: TSnapshot) => string
}

/** Paths to replay and what the model claims they cover. */
export interface ModelPlan<TSnapshot, TEvent> {
  paths: ModelPath<TSnapshot, TEvent>[]
  /** What the graph reaches; a gap here is unreachable in the machine itself. */
  planned: Coverage
  /** Vertices and edges of the abstract graph, for the report. */
  vertices: number
  edges: number
}

const label = (event: { type: string }) => {
  const { type, ...payload } = event
  // `xstate.after.<delay>.<state id>`: the delay's name is what a reader knows.
  if (type.startsWith('xstate.after.')) return `after ${type.split('.')[2]}`
  const shown = Object.entries(payload)
    .filter(([, value]) => typeof value === 'string' || typeof value === 'boolean')
    .map(([, value]) => String(value))
  const peers =
    'result' in payload && typeof payload.result === 'object' && payload.result !== null
      ? ((payload.result as { peers?: { peerId: string }[] }).peers ?? []).map((p) => p.peerId)
      : []
  const extra = [...shown, ...(peers.length ? [`[${peers.join(',')}]`] : [])]
  return extra.length ? `${type}(${extra.join(' ')})` : type
}

/** A readable event sequence. */
export const describePath = (events: { type: string }[]) =>
  events.length === 0 ? '(initial state)' : events.map(label).join(' → ')

/**
 * Generates the paths to replay: the shortest path into every state node, and for every
 * transition definition the shortest path ending in an edge that takes it. One path per item,
 * not every simple path, so the run stays linear in the size of the machine.
 */
export function planModel<TSnapshot extends AnyMachineSnapshot, TEvent extends EventObject, TInput>(
  machine: AnyStateMachine,
  options: ModelOptions<TSnapshot, TEvent, TInput>,
): ModelPlan<TSnapshot, TEvent> {
  // The graph hands back the machine's own snapshots, typed loosely because the machine is; the
  // model's events also include the timers' `xstate.after.*` events, outside the event union.
  const own = (snapshot: AnyMachineSnapshot) => snapshot as TSnapshot
  const serialize = (snapshot: AnyMachineSnapshot) => options.serializeState(own(snapshot))
  const events = (snapshot: AnyMachineSnapshot): EventObject[] => [
    ...options.events(own(snapshot)),
    ...timerEvents(snapshot),
  ]
  const traversal: TraversalOptions<AnyMachineSnapshot, EventObject, TInput> = {
    input: options.input,
    events,
    serializeState: serialize,
    // A final state accepts nothing; walking on would only repeat it.
    stopWhen: (snapshot) => snapshot.status !== 'active',
  }
  const best = new Map<string, ModelStep<TSnapshot, TEvent>[]>()
  const offer = (item: string, steps: ModelStep<TSnapshot, TEvent>[]) => {
    const known = best.get(item)
    if (!known || steps.length < known.length) best.set(item, steps)
  }
  let sink: string[] = []
  const scope = probeScope((event) => {
    if (event.type !== '@xstate.microstep') return
    sink.push(...event._transitions.map((t) => `transition ${transitionKey(t)}`))
    sink.push(...activeStates(event.snapshot as AnyMachineSnapshot).map((s) => `state ${s}`))
  })

  // @xstate/graph finds every (abstract) state and the shortest path to it; each of those states
  // is then stepped once more with every sample event, through the probe, to learn which
  // transition definitions each edge takes.
  let start: TSnapshot | undefined
  let edges = 0
  const vertices = getShortestPaths(machine, traversal)
  for (const path of vertices) {
    const [first, ...rest] = path.steps
    // The first step is the initial state under `xstate.init`; each later one pairs an event
    // with the state it led to.
    if (first) start ??= own(first.state)
    const head = rest.map((step) => ({ event: step.event as TEvent, state: own(step.state) }))
    for (const id of activeStates(path.state)) offer(`state ${id}`, head)
    if (path.state.status !== 'active') continue
    for (const event of events(path.state)) {
      edges += 1
      sink = []
      const next = machine.transition(path.state, event, scope)
      const steps = [...head, { event: event as TEvent, state: own(next) }]
      for (const item of sink) offer(item, steps)
    }
  }

  if (!start) throw new Error('the graph has no initial state')
  const initial = start
  // A path that is a prefix of another adds nothing the longer one does not replay.
  const signature = (steps: ModelStep<TSnapshot, TEvent>[]) =>
    steps.map((step) => `${JSON.stringify(step.event)}\n`).join('')
  const chosen = [...new Map([...best.values()].map((steps) => [signature(steps), steps]))]
  const paths = chosen
    .filter(([key]) => !chosen.some(([other]) => other !== key && other.startsWith(key)))
    .map(([, steps]) => ({
      description: describePath(steps.map((s) => s.event)),
      start: initial,
      steps,
    }))

  const planned = emptyCoverage()
  for (const item of best.keys()) {
    if (item.startsWith('state ')) planned.states.add(item.slice('state '.length))
    else planned.transitions.add(item.slice('transition '.length))
  }
  return { paths, planned, vertices: vertices.length, edges }
}

/** What is left uncovered, per kind. */
export function missing(machine: AnyStateMachine, coverage: Coverage) {
  return {
    states: stateNodesOf(machine)
      .map((node) => node.id)
      .filter((id) => !coverage.states.has(id)),
    transitions: transitionsOf(machine).filter((key) => !coverage.transitions.has(key)),
  }
}

/** A real actor under test, driven by model events. */
export interface ModelRun<TSnapshot, TEvent> {
  snapshot: () => TSnapshot
  /** Makes `event` happen the way it does in production (a command, a child's report, time). */
  deliver: (event: TEvent) => void
}

/**
 * Replays a generated path on a real actor and checks, after every step, that it agrees with
 * the model on everything `serialize` keeps.
 */
export function replayPath<TSnapshot, TEvent extends { type: string }>(
  path: ModelPath<TSnapshot, TEvent>,
  run: ModelRun<TSnapshot, TEvent>,
  serialize: (snapshot: TSnapshot) => string,
): void {
  expect(serialize(run.snapshot()), 'initial state').toBe(serialize(path.start))
  path.steps.forEach((step, index) => {
    run.deliver(step.event)
    expect(serialize(run.snapshot()), `after step ${index + 1}, ${label(step.event)}`).toBe(
      serialize(step.state),
    )
  })
}
