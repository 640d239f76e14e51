import type { AnyStateMachine } from 'xstate'
import type { TransitionRow } from './diagram.types'
import { pathLabel, transitionsOf } from './diagram.walk'

/** Every transition of a machine as a row, targetless ones included (target `—`). */
export function toTransitionTable(machine: AnyStateMachine): TransitionRow[] {
  return transitionsOf(machine).map(({ source, trigger, guard, targets }) => ({
    source: pathLabel(source),
    event: trigger,
    guard: guard ?? '',
    target: targets.length === 0 ? '—' : targets.map(pathLabel).join(', '),
  }))
}
