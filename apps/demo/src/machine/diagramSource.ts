import { callMachine, peerMachine } from '@duet/core'
import { toMermaid } from '@duet/core/diagram'
import { diagramIds } from './diagramIds'

/** A machine `toMermaid` can draw. */
export type DiagramMachine = Parameters<typeof toMermaid>[0]

/** The machines the panel draws. */
export const MACHINES = { call: callMachine, peer: peerMachine } as const

/** Which machine a diagram shows. */
export type MachineName = keyof typeof MACHINES

/** A machine's Mermaid text, generated from its definition, and each state path's id in it. */
export interface DiagramSource {
  text: string
  /** State path (`room.waiting`, `''` for the root) → Mermaid state id (`call_room_waiting`). */
  ids: Map<string, string>
}

/** The diagram of one of the panel's machines. */
export function diagramSource(name: MachineName): DiagramSource {
  const machine: DiagramMachine = MACHINES[name]
  const text = toMermaid(machine)
  return { text, ids: diagramIds(machine.root, text) }
}
