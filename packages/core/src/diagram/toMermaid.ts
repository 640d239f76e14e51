import type { AnyStateMachine, AnyStateNode } from 'xstate'
import { mermaidIds } from './diagram.ids'
import type { MermaidOptions } from './diagram.types'
import { childrenOf, transitionsOf } from './diagram.walk'

const INDENT = '  '

// Mermaid ends a statement at `;` or a newline, and rejects a label holding `::` or ending in
// `:`; those colons become the look-alike `∶` (U+2236) so event names stay readable.
function edgeText(text: string): string {
  return text
    .replace(/[;\n\r]/g, ',')
    .trim()
    .replace(/:(?=:|$)/g, '∶')
}

// A state label is a double-quoted string with no escape for `"`.
function stateText(node: AnyStateNode): string {
  const key = node.key.replace(/"/g, "'")
  if (node.type !== 'history') return key
  return `${key} (${node.history === 'deep' ? 'H*' : 'H'})`
}

function block(node: AnyStateNode, ids: Map<AnyStateNode, string>, depth: number): string[] {
  const pad = INDENT.repeat(depth)
  const declaration = `${pad}state "${stateText(node)}" as ${ids.get(node)}`
  const children = childrenOf(node)
  if (children.length === 0) return [declaration]
  const inner = `${pad}${INDENT}`
  const initial =
    node.type === 'compound'
      ? node.initial.target.map((target) => `${inner}[*] --> ${ids.get(target)}`)
      : []
  // Regions of a parallel state are drawn side by side, separated by `--`.
  const body = children.flatMap((child, index) => [
    ...(node.type === 'parallel' && index > 0 ? [`${inner}--`] : []),
    ...block(child, ids, depth + 1),
  ])
  const finals = children
    .filter((child) => child.type === 'final')
    .map((child) => `${inner}${ids.get(child)} --> [*]`)
  return [`${declaration} {`, ...initial, ...body, ...finals, `${pad}}`]
}

/**
 * Renders any xstate v5 machine as a Mermaid `stateDiagram-v2`, derived from its definition.
 * @example
 * ```ts
 * const text = toMermaid(callMachine, { direction: 'LR' })
 * ```
 */
export function toMermaid(machine: AnyStateMachine, options: MermaidOptions = {}): string {
  const ids = mermaidIds(machine)
  // Edges go after the whole tree: a state first named in an edge would land in the wrong box.
  const edges = transitionsOf(machine).flatMap(({ source, trigger, guard, targets }) => {
    const label = edgeText(guard === undefined ? trigger : `${trigger} [${guard}]`)
    return targets.map((target) => `${INDENT}${ids.get(source)} --> ${ids.get(target)} : ${label}`)
  })
  const lines = [
    'stateDiagram-v2',
    ...(options.direction ? [`${INDENT}direction ${options.direction}`] : []),
    // The machine itself is the outer box, so transitions declared on the root have a source.
    ...block(machine.root, ids, 1),
    ...edges,
  ]
  return `${lines.join('\n')}\n`
}
