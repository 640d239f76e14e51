import type {
  CallActor,
  CallApi,
  CallEmitted,
  CallFileEvent,
  CallMessage,
  CallOptions,
} from '@duet/core'
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
  toValue,
} from 'vue'

/** A non-fatal call error as the call emits it (a refused screen share, a failed device switch…). */
export type CallErrorEvent = Extract<CallEmitted, { type: 'error' }>

/** State fields of {@link CallApi} as read-only refs, its methods as plain functions. */
export type CallRefs = {
  readonly [K in keyof CallApi]: CallApi[K] extends (...args: never[]) => unknown
    ? CallApi[K]
    : Readonly<Ref<CallApi[K]>>
}

/** Adds a listener for one kind of emitted event; returns the unsubscribe, also run on scope dispose. */
export type CallListener<E> = (handler: (event: E) => void) => () => void

/** What {@link useCall} returns: destructure it, or wrap it in `reactive()` to read `call.status`. */
export interface UseCallReturn extends CallRefs {
  /** The underlying xstate actor: `actor.send(event)`, `actor.system.inspect(observer)`. */
  readonly actor: CallActor
  /** Listens to data-channel messages `{ peerId, data }`. */
  onMessage: CallListener<CallMessage>
  /** Listens to file transfers `{ peerId, report }`: progress, sent, received (`report.file`), … */
  onFile: CallListener<CallFileEvent>
  /** Listens to non-fatal errors `{ error }`; fatal ones end the call and land in `error`. */
  onError: CallListener<CallErrorEvent>
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
  const listen =
    <T extends CallEmitted['type']>(type: T): CallListener<Extract<CallEmitted, { type: T }>> =>
    (handler) => {
      // Safe: xstate narrows by `type` at runtime; TypeScript cannot follow it through generic T.
      const subscription = actor.on(type, handler as (event: CallEmitted) => void)
      const unsubscribe = () => subscription.unsubscribe()
      if (getCurrentScope()) onScopeDispose(unsubscribe)
      return unsubscribe
    }
  return {
    ...(refs as CallRefs),
    join: (roomId = toValue(options).roomId) => api.value.join(roomId),
    actor,
    onMessage: listen('message'),
    onFile: listen('file'),
    onError: listen('error'),
  }
}
