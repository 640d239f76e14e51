import type { CallActor, CallApi, CallEmitted, CallOptions, CallSnapshot } from '@duet/core'
import { connectCall, createCall } from '@duet/core'
import { createSubscriber } from 'svelte/reactivity'

/** A data-channel message as the call emits it. */
export type CallMessage = Extract<CallEmitted, { type: 'message' }>

/** What {@link useCall} returns: read `call.status` (don't destructure: getters are reactive). */
export interface UseCallReturn extends Readonly<CallApi> {
  /** The underlying xstate actor, for `actor.send(event)` or inspection. */
  readonly actor: CallActor
  /** Listens to data-channel messages; returns the unsubscribe. */
  onMessage: (handler: (message: CallMessage) => void) => () => void
}

/**
 * Runs a call for the lifetime of the calling component (or `$effect.root`): started after
 * mount (never during SSR) and stopped on destroy. Options are read once, at creation.
 * @example
 * const call = useCall({ signaling: 'https://signal.example' })
 */
export function useCall(options: CallOptions | (() => CallOptions)): UseCallReturn {
  const actor = createCall(typeof options === 'function' ? options() : options)
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
  const read = (): CallApi => {
    subscribe()
    const snapshot = actor.getSnapshot()
    if (cached?.snapshot !== snapshot) cached = { snapshot, api: connectCall(snapshot, actor.send) }
    return cached.api
  }
  const call = {
    actor,
    onMessage: (handler: (message: CallMessage) => void) => {
      const subscription = actor.on('message', handler)
      return () => subscription.unsubscribe()
    },
  }
  // svelte-query's shape: a getter per field, each reading the latest snapshot.
  for (const key of Object.keys(read()) as (keyof CallApi)[]) {
    Object.defineProperty(call, key, { enumerable: true, get: () => read()[key] })
  }
  return call as UseCallReturn
}
