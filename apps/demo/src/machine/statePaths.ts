/** A state value as xstate reports it: a state key, or nested keys for compound states. */
export type StateValue = string | { [key: string]: StateValue | undefined }

/** Whether a snapshot field is a state value (snapshots of non-machine actors have none). */
export function isStateValue(value: unknown): value is StateValue {
  return typeof value === 'string' || (typeof value === 'object' && value !== null)
}

/** Leaf paths of a state value: `{ room: 'waiting' }` → `['room.waiting']`; one per region. */
export function leafPaths(value: StateValue, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix + value]
  // A compound state that has not entered a child yet shows as `{}` (or an undefined key).
  return Object.entries(value).flatMap(([key, child]) =>
    child === undefined || (typeof child === 'object' && Object.keys(child).length === 0)
      ? [prefix + key]
      : leafPaths(child, `${prefix}${key}.`),
  )
}

/** Every active path, ancestors included: `{ room: 'waiting' }` → `['room', 'room.waiting']`. */
export function activePaths(value: StateValue): string[] {
  const all = new Set<string>()
  for (const leaf of leafPaths(value)) {
    const keys = leaf.split('.')
    for (let depth = 1; depth <= keys.length; depth++) all.add(keys.slice(0, depth).join('.'))
  }
  return [...all]
}
