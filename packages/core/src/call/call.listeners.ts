import type { CallEmitted, CallFileEvent, CallMessage } from './call.types'
import type { CallActor } from './createCall'

/** A non-fatal call error as the call emits it (a refused screen share, a failed device switch…). */
export type CallErrorEvent = Extract<CallEmitted, { type: 'error' }>

/** Adds a listener for one kind of emitted event; returns the unsubscribe. */
export type CallListener<E> = (handler: (event: E) => void) => () => void

/** The listeners every binding exposes beside the call's state and methods. */
export interface CallListeners {
  /** Listens to data-channel messages `{ peerId, data }`. */
  readonly onMessage: CallListener<CallMessage>
  /** Listens to file transfers `{ peerId, report }`: progress, sent, received (`report.file`), … */
  readonly onFile: CallListener<CallFileEvent>
  /** Listens to non-fatal errors `{ error }`; fatal ones end the call and land in `error`. */
  readonly onError: CallListener<CallErrorEvent>
}

/**
 * Builds the listeners of a call actor for a binding. `onListen` receives each unsubscribe as it
 * is made, so a binding can also run it when its scope goes away.
 * @example const { onMessage } = callListeners(actor, (unsubscribe) => onScopeDispose(unsubscribe))
 */
export function callListeners(
  actor: CallActor,
  onListen?: (unsubscribe: () => void) => void,
): CallListeners {
  const listen =
    <T extends CallEmitted['type']>(type: T): CallListener<Extract<CallEmitted, { type: T }>> =>
    (handler) => {
      // Safe: xstate narrows by `type` at runtime; TypeScript cannot follow it through generic T.
      const subscription = actor.on(type, handler as (event: CallEmitted) => void)
      const unsubscribe = () => subscription.unsubscribe()
      onListen?.(unsubscribe)
      return unsubscribe
    }
  return { onMessage: listen('message'), onFile: listen('file'), onError: listen('error') }
}
