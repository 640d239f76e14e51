import type { CallActor, CallApi, CallListeners, CallOptions } from '@duet/core'
import { callListeners, connectCall, createCall } from '@duet/core'
import {
  computed,
  getCurrentInstance,
  getCurrentScope,
  type MaybeRefOrGetter,
  onMounted,
  onScopeDispose,
  type Ref,
  shallowRef,
  toValue,
} from 'vue'

/** State fields of {@link CallApi} as read-only refs, its methods as plain functions. */
export type CallRefs = {
  readonly [K in keyof CallApi]: CallApi[K] extends (...args: never[]) => unknown
    ? CallApi[K]
    : Readonly<Ref<CallApi[K]>>
}

/**
 * What {@link useCall} returns: destructure it, or wrap it in `reactive()` to read `call.status`.
 * Listeners added inside a component or effect scope are removed when it is disposed.
 */
export interface UseCallReturn extends CallRefs, CallListeners {
  /** The underlying xstate actor: `actor.send(event)`, `actor.system.inspect(observer)`. */
  readonly actor: CallActor
}

/**
 * Runs a call for the lifetime of the calling component: created in `setup()`, started on
 * mount (never during SSR) and stopped on unmount, which releases tracks, connections and socket.
 *
 * `options` may be an object, a ref or a getter. They are read once, at setup, except `roomId`,
 * which `join()` reads when called without an argument. A call is single-use: to change the
 * signaling URL or media after the fact, re-create the component (`:key`).
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
  // close over the stable `actor.send`, so those of the first snapshot stay valid forever. A
  // computed per field notifies only when that field changes, not on every stats sample.
  const refs: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(api.value)) {
    refs[key] =
      typeof value === 'function' ? value : computed(() => api.value[key as keyof CallApi])
  }
  return {
    ...(refs as CallRefs),
    join: (roomId = toValue(options).roomId) => api.value.join(roomId),
    actor,
    ...callListeners(actor, (unsubscribe) => {
      if (getCurrentScope()) onScopeDispose(unsubscribe)
    }),
  }
}
