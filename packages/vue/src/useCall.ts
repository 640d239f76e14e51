import type { CallActor, CallApi, CallEmitted, CallOptions } from '@duet/core'
import { connectCall, createCall } from '@duet/core'
import {
  computed,
  getCurrentInstance,
  getCurrentScope,
  type MaybeRefOrGetter,
  onMounted,
  onScopeDispose,
  type Ref,
  shallowRef,
  toRef,
  toValue,
} from 'vue'

/** A data-channel message as the call emits it. */
export type CallMessage = Extract<CallEmitted, { type: 'message' }>

/** State fields of {@link CallApi} as read-only refs, its methods as plain functions. */
export type CallRefs = {
  readonly [K in keyof CallApi]: CallApi[K] extends (...args: never[]) => unknown
    ? CallApi[K]
    : Readonly<Ref<CallApi[K]>>
}

/** What {@link useCall} returns: destructure it, or wrap it in `reactive()` to read `call.status`. */
export interface UseCallReturn extends CallRefs {
  /** The underlying xstate actor, for `actor.send(event)` or inspection. */
  readonly actor: CallActor
  /** Listens to data-channel messages; returns the unsubscribe, also run on scope dispose. */
  onMessage: (handler: (message: CallMessage) => void) => () => void
}

/**
 * Runs a call for the lifetime of the calling component: created in `setup()`, started on
 * mount (never during SSR) and stopped on unmount. Options are read once, at setup.
 * @example
 * const { status, remoteStream, join, hangUp } = useCall({ signaling: 'https://signal.example' })
 */
export function useCall(options: MaybeRefOrGetter<CallOptions>): UseCallReturn {
  if (!getCurrentInstance()) {
    throw new Error('[@duet/vue] useCall() must be called inside a component setup().')
  }
  const actor = createCall(toValue(options))
  const snapshot = shallowRef(actor.getSnapshot())
  onMounted(() => {
    // Subscribing on mount, not in setup, keeps SSR free of listeners on a never-started actor.
    actor.subscribe((next) => {
      snapshot.value = next
    })
    actor.start()
  })
  // The component's scope is disposed on unmount; stop() releases media, peers and the socket.
  onScopeDispose(() => actor.stop())
  const api = computed(() => connectCall(snapshot.value, actor.send))

  // vue-query's shape: state as refs (destructurable), methods as plain functions. Methods only
  // close over the stable `actor.send`, so those of the first snapshot stay valid forever.
  const refs: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(api.value)) {
    refs[key] = typeof value === 'function' ? value : toRef(() => api.value[key as keyof CallApi])
  }
  const onMessage = (handler: (message: CallMessage) => void) => {
    const subscription = actor.on('message', handler)
    const unsubscribe = () => subscription.unsubscribe()
    if (getCurrentScope()) onScopeDispose(unsubscribe)
    return unsubscribe
  }
  return { ...(refs as CallRefs), actor, onMessage }
}
