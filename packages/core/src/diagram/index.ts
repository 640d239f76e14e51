export type { MermaidOptions, TransitionRow } from './diagram.types'
export { toMarkdownTable } from './toMarkdownTable'
export { toMermaid } from './toMermaid'
export { toTransitionTable } from './toTransitionTable'
