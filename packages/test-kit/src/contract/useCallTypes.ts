import type {
  CallActor,
  CallApi,
  CallError,
  CallFileEvent,
  CallListeners,
  CallMessage,
  CallOptions,
  DataMessage,
  FileReport,
  SendFileOptions,
  VideoQuality,
} from '@duet/core'
import { describe, expectTypeOf, it } from 'vitest'

type MethodKey = {
  [K in keyof CallApi]: CallApi[K] extends (...args: never[]) => unknown ? K : never
}[keyof CallApi]

/** What every binding's `useCall` returns the same way: core's methods, listeners and actor. */
export type CallSurface = Pick<CallApi, MethodKey> & CallListeners & { readonly actor: CallActor }

/**
 * Type checks (run by each binding's typecheck, from its `test/useCall.test-d.ts`) of the surface
 * the bindings share. `useCall` only compiles here when what it returns has that surface; the
 * state fields differ by framework (refs, getters) and stay in the binding's own type test.
 */
export function useCallTypes<R extends CallSurface>(
  useCall: (options: () => CallOptions) => R,
): void {
  const call: CallSurface = useCall(() => ({ signaling: 'http://localhost:3000' }))

  describe('useCall shared types', () => {
    it('should expose methods and the actor as core types them', () => {
      expectTypeOf(call.join).toEqualTypeOf<(roomId?: string) => void>()
      expectTypeOf(call.hangUp).toEqualTypeOf<() => void>()
      expectTypeOf(call.send).toEqualTypeOf<(data: DataMessage, to?: string) => void>()
      expectTypeOf(call.sendFile).toEqualTypeOf<(file: Blob, options?: SendFileOptions) => string>()
      expectTypeOf(call.cancelFile).toEqualTypeOf<(transferId: string) => void>()
      expectTypeOf(call.setMicEnabled).toEqualTypeOf<(enabled: boolean) => void>()
      expectTypeOf(call.setCameraEnabled).toEqualTypeOf<(enabled: boolean) => void>()
      expectTypeOf(call.selectDevice).toEqualTypeOf<
        (kind: 'audioinput' | 'videoinput', deviceId: string) => void
      >()
      expectTypeOf(call.startScreenShare).toEqualTypeOf<() => void>()
      expectTypeOf(call.stopScreenShare).toEqualTypeOf<() => void>()
      expectTypeOf(call.setVideoQuality).toEqualTypeOf<
        (quality: VideoQuality, peerId?: string) => void
      >()
      expectTypeOf(call.actor).toEqualTypeOf<CallActor>()
    })

    it('should type the listeners and return their unsubscribe', () => {
      expectTypeOf(call.onMessage).parameter(0).parameter(0).toEqualTypeOf<CallMessage>()
      expectTypeOf(call.onMessage).parameter(0).parameter(0).toMatchTypeOf<{
        peerId: string
        data: DataMessage
      }>()
      expectTypeOf(call.onFile).parameter(0).parameter(0).toEqualTypeOf<CallFileEvent>()
      expectTypeOf(call.onFile).parameter(0).parameter(0).toMatchTypeOf<{ report: FileReport }>()
      expectTypeOf(call.onError).parameter(0).parameter(0).toMatchTypeOf<{ error: CallError }>()
      expectTypeOf(call.onFile(() => {})).toEqualTypeOf<() => void>()
    })
  })
}
