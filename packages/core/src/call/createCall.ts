import { type Actor, createActor } from 'xstate'
import { callMachine } from './call.machine'
import type { CallOptions } from './call.types'

/** A running (or startable) call actor. */
export type CallActor = Actor<typeof callMachine>

/**
 * Creates a call actor; start it, then send `CALL.JOIN` (or use `connectCall`'s `join`).
 * @example
 * const call = createCall({ signaling: 'http://localhost:3000', roomId: 'standup' })
 * call.start()
 * connectCall(call.getSnapshot(), call.send).join()
 */
export function createCall(options: CallOptions): CallActor {
  const { inspect } = options
  return createActor(callMachine, inspect ? { input: options, inspect } : { input: options })
}
