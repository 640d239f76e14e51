/** The parts of an xstate state node read here (xstate's `StateNode` has them all). */
export interface StateNodeShape {
  key: string
  path: readonly string[]
  /** Document order among siblings, which `toMermaid` follows. */
  order: number
  states: Readonly<Record<string, StateNodeShape>>
}

// `state "label" as id`, one per state node, the machine's root first (see core's toMermaid).
const DECLARATION = /^\s*state "([^"]*)" as ([A-Za-z0-9_]+)/

function preorder(node: StateNodeShape): StateNodeShape[] {
  const children = Object.values(node.states).sort((a, b) => a.order - b.order)
  return [node, ...children.flatMap(preorder)]
}

/**
 * Maps each state path (`room.waiting`; `''` for the root) to its id in a `toMermaid` diagram.
 * The ids are read from the diagram text itself, which declares every state node once, depth
 * first in document order, rather than re-deriving core's sanitizing and de-duplication rules
 * (core keeps `mermaidIds` internal), so the two cannot drift apart.
 */
export function diagramIds(root: StateNodeShape, mermaidText: string): Map<string, string> {
  const declared = mermaidText.split('\n').flatMap((line) => {
    const match = DECLARATION.exec(line)
    return match ? [{ label: match[1]!, id: match[2]! }] : []
  })
  const nodes = preorder(root)
  if (declared.length !== nodes.length) {
    throw new Error(`diagram declares ${declared.length} states, the machine has ${nodes.length}`)
  }
  return new Map(
    nodes.map((node, index) => {
      const declaration = declared[index]!
      // Labels are keys (history states get a suffix): a mismatch means the order assumption broke.
      if (!declaration.label.startsWith(node.key.replace(/"/g, "'"))) {
        throw new Error(`diagram state "${declaration.label}" is not "${node.key}"`)
      }
      return [node.path.join('.'), declaration.id]
    }),
  )
}
