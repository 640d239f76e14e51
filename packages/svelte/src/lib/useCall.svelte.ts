import type { CallActor, CallApi, CallListeners, CallOptions, CallSnapshot } from '@duet/core'
import { callListeners, connectCall, createCall } from '@duet/core'
import { untrack } from 'svelte'
import { createSubscriber } from 'svelte/reactivity'

/** What {@link useCall} returns: read `call.status` (don't destructure: getters are reactive). */
export interface UseCallReturn extends Readonly<CallApi>, CallListeners {
  /** The underlying xstate actor: `actor.send(event)`, `actor.system.inspect(observer)`. */
  readonly actor: CallActor
}

/**
 * Runs a call for the lifetime of the calling component (or `$effect.root`): started after
 * mount (never during SSR) and stopped on destroy, which releases tracks, connections and socket.
 *
 * `options` may be an object or an accessor `() => options`. They are read once, at creation,
 * except `roomId`, which `join()` reads when called without an argument. A call is single-use:
 * to change the signaling URL or media after the fact, re-create the component (`{#key}`).
 * @example
 * const call = useCall({ signaling: 'https://signal.example' })
 */
export function useCall(options: CallOptions | (() => CallOptions)): UseCallReturn {
  const read = () => (typeof options === 'function' ? options() : options)
  const actor = createCall(untrack(read))
  try {
    $effect(() => {
      actor.start()
      return () => actor.stop()
    })
  } catch (cause) {
    throw new Error(
      '[@duet/svelte] useCall() must be called during component initialisation or in $effect.root.',
      { cause },
    )
  }
  // Listens to the actor only while some effect or template reads the call.
  const subscribe = createSubscriber((update) => {
    const subscription = actor.subscribe(update)
    return () => subscription.unsubscribe()
  })
  // One connectCall per snapshot, so `call.peers` keeps its identity between reads.
  let cached: { snapshot: CallSnapshot; api: CallApi } | undefined
  const api = (): CallApi => {
    subscribe()
    const snapshot = actor.getSnapshot()
    if (cached?.snapshot !== snapshot) cached = { snapshot, api: connectCall(snapshot, actor.send) }
    return cached.api
  }
  const call = { actor, ...callListeners(actor) }
  // svelte-query's shape: a getter per field. Methods only close over the stable `actor.send`,
  // so those of the first snapshot stay valid forever.
  const methods = api()
  const join = (roomId = untrack(read).roomId) => methods.join(roomId)
  for (const [key, value] of Object.entries({ ...methods, join })) {
    if (typeof value === 'function') {
      Object.defineProperty(call, key, { value, enumerable: true })
      continue
    }
    // A derived per field, so effects and attachments re-run only when their own field changes
    // (not on every stats sample). Outside effects nothing keeps a derived current: read direct.
    const field = $derived(api()[key as keyof CallApi])
    const get = () => ($effect.tracking() ? field : api()[key as keyof CallApi])
    Object.defineProperty(call, key, { get, enumerable: true })
  }
  return call as typeof call & CallApi
}
