import type { AnyStateMachine, AnyStateNode } from 'xstate'
import { childrenOf } from './diagram.walk'

// Words Mermaid's state-diagram lexer reads as keywords when they stand alone as an id.
const RESERVED = new Set(['click', 'href', 'default', 'direction', 'state', 'note', 'end'])

function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9_]/g, '_')
}

function rootId(machine: AnyStateMachine): string {
  const id = sanitize(machine.id)
  // An id starting with a digit lexes as a number; a keyword lexes as that keyword.
  if (!/^[A-Za-z]/.test(id)) return `m_${id}`
  return RESERVED.has(id.toLowerCase()) ? `${id}_` : id
}

/**
 * A Mermaid-safe, unique id for every state node: the path joined with `_`, only `[A-Za-z0-9_]`.
 * Sanitizing can make two paths meet (`a-b.c` and `a_b.c`), so a later one gets a numeric suffix.
 */
export function mermaidIds(machine: AnyStateMachine): Map<AnyStateNode, string> {
  const ids = new Map<AnyStateNode, string>()
  const used = new Set<string>()
  const assign = (node: AnyStateNode, wanted: string) => {
    let id = wanted
    for (let n = 2; used.has(id); n++) id = `${wanted}_${n}`
    used.add(id)
    ids.set(node, id)
    for (const child of childrenOf(node)) assign(child, `${id}_${sanitize(child.key)}`)
  }
  assign(machine.root, rootId(machine))
  return ids
}
