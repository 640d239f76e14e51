import type { AnyTransitionDefinition } from 'xstate'

/** A guard as xstate stores it on a transition: a name, `{ type, params }`, or a function. */
export type TransitionGuard = NonNullable<AnyTransitionDefinition['guard']>

// xstate names an anonymous inline guard after the property it was written in.
const ANONYMOUS = new Set(['', 'guard'])
const COMBINATORS = new Set(['and', 'or', 'not'])

function isGuard(value: unknown): value is TransitionGuard {
  return (
    typeof value === 'string' ||
    typeof value === 'function' ||
    (typeof value === 'object' && value !== null && typeof Reflect.get(value, 'type') === 'string')
  )
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'object' && value !== null) return JSON.stringify(value)
  return String(value)
}

function formatParams(params: unknown): string | undefined {
  if (params === undefined) return undefined
  // Dynamic params are computed from context and event, so nothing static can be shown.
  if (typeof params === 'function') return '…'
  if (typeof params !== 'object' || params === null) return formatValue(params)
  const entries = Object.entries(params)
  if (entries.length === 0) return undefined
  if (entries.length === 1) return formatValue(entries[0]?.[1])
  return entries.map(([key, value]) => `${key}=${formatValue(value)}`).join(', ')
}

type InlineGuard = Extract<TransitionGuard, (...args: never[]) => unknown>

function inlineGuardLabel(guard: InlineGuard): string {
  // and()/or()/not() and stateIn() are functions carrying their operands as properties.
  const operands: unknown = Reflect.get(guard, 'guards')
  if (Array.isArray(operands) && operands.every(isGuard)) {
    const name = COMBINATORS.has(guard.name) ? guard.name : 'combined'
    return `${name}(${operands.map(guardLabel).join(', ')})`
  }
  const stateValue: unknown = Reflect.get(guard, 'stateValue')
  if (stateValue !== undefined) return `stateIn(${formatValue(stateValue)})`
  return ANONYMOUS.has(guard.name) ? 'inline' : guard.name
}

/** A guard as a short readable label: `canJoin`, `sessionIs(connected)`, `not(isFailed)`. */
export function guardLabel(guard: TransitionGuard): string {
  if (typeof guard === 'string') return guard
  if (typeof guard === 'function') return inlineGuardLabel(guard)
  const params = formatParams(guard.params)
  return params === undefined ? guard.type : `${guard.type}(${params})`
}
