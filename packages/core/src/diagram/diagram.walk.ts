import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate'
import { guardLabel } from './diagram.guards'

/** One transition of a state node, flattened for rendering. */
export interface MachineTransition {
  source: AnyStateNode
  /** What triggers it, as shown to readers: `CALL.JOIN`, `always`, `after 2000ms`… */
  trigger: string
  guard: string | undefined
  /** Empty when the transition has no target (it runs actions and stays put). */
  targets: readonly AnyStateNode[]
}

/** The child state nodes of `node`, in the order they were written. */
export function childrenOf(node: AnyStateNode): AnyStateNode[] {
  // `order` is document order; object key order would put numeric-looking keys first.
  return Object.values<AnyStateNode>(node.states).sort((a, b) => a.order - b.order)
}

/** Every state node of the machine, root first, depth-first in document order. */
export function stateNodesOf(machine: AnyStateMachine): AnyStateNode[] {
  const visit = (node: AnyStateNode): AnyStateNode[] => [node, ...childrenOf(node).flatMap(visit)]
  return visit(machine.root)
}

/** A state node's dotted path, `(root)` for the machine itself. */
export function pathLabel(node: AnyStateNode): string {
  return node.path.length === 0 ? '(root)' : node.path.join('.')
}

function delayLabel(delay: unknown): string {
  if (typeof delay === 'number') return `after ${delay}ms`
  if (typeof delay === 'string') return `after ${delay}`
  return 'after (dynamic)'
}

// xstate turns `onDone`, invoke outcomes and `after` into internal event types; name them back.
function triggerLabels(node: AnyStateNode): Map<string, string> {
  const labels = new Map<string, string>([[`xstate.done.state.${node.id}`, 'onDone']])
  for (const invoke of node.invoke) {
    labels.set(`xstate.done.actor.${invoke.id}`, `onDone(${invoke.id})`)
    labels.set(`xstate.error.actor.${invoke.id}`, `onError(${invoke.id})`)
    labels.set(`xstate.snapshot.${invoke.id}`, `onSnapshot(${invoke.id})`)
  }
  for (const delayed of node.after) labels.set(delayed.eventType, delayLabel(delayed.delay))
  return labels
}

function flatten(
  node: AnyStateNode,
  trigger: string,
  transition: AnyTransitionDefinition,
): MachineTransition {
  return {
    source: node,
    trigger,
    guard: transition.guard === undefined ? undefined : guardLabel(transition.guard),
    targets: transition.target ?? [],
  }
}

/** The transitions declared on one state node: events, `onDone`, invokes, `after`, `always`. */
export function ownTransitionsOf(node: AnyStateNode): MachineTransition[] {
  const labels = triggerLabels(node)
  const evented = [...node.transitions].flatMap(([eventType, transitions]) =>
    transitions.map((t) => flatten(node, labels.get(eventType) ?? eventType, t)),
  )
  const eventless = (node.always ?? []).map((t) => flatten(node, 'always', t))
  return [...evented, ...eventless]
}

/** Every transition of the machine, state by state in document order. */
export function transitionsOf(machine: AnyStateMachine): MachineTransition[] {
  return stateNodesOf(machine).flatMap(ownTransitionsOf)
}
