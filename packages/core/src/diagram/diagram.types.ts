/** One transition of a machine as plain strings: a row of its transition table. */
export interface TransitionRow {
  /** Dotted path of the state that owns the transition; `(root)` for the machine itself. */
  source: string
  /** What triggers it: an event type, `always`, `after 2000ms`, `after RETRY_DELAY`, `onDone`… */
  event: string
  /** The guard, e.g. `canJoin` or `sessionIs(connected)`; empty when unguarded. */
  guard: string
  /** Dotted path(s) of the target state(s), comma-separated; `—` when it stays put. */
  target: string
}

/** Options of `toMermaid`. */
export interface MermaidOptions {
  /**
   * Layout direction of the diagram.
   * @default Mermaid's own (top to bottom)
   */
  direction?: 'TB' | 'BT' | 'LR' | 'RL'
}
