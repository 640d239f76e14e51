import type { CallActor, CallStatus, DataMessage, PeerView } from '@duet/core'
import { describe, expectTypeOf, it } from 'vitest'
import type { Ref } from 'vue'
import { useCall } from '../src'

describe('useCall types', () => {
  const call = useCall({ signaling: 'http://localhost:3000' })

  it('should expose state as read-only refs', () => {
    expectTypeOf(call.status).toEqualTypeOf<Readonly<Ref<CallStatus>>>()
    expectTypeOf(call.peers).toEqualTypeOf<Readonly<Ref<PeerView[]>>>()
    expectTypeOf(call.remoteStream).toEqualTypeOf<Readonly<Ref<MediaStream | null>>>()
  })

  it('should expose methods as plain functions', () => {
    expectTypeOf(call.join).toEqualTypeOf<(roomId?: string) => void>()
    expectTypeOf(call.send).toEqualTypeOf<(data: DataMessage, to?: string) => void>()
    expectTypeOf(call.actor).toEqualTypeOf<CallActor>()
    expectTypeOf(call.onMessage).parameter(0).parameter(0).toMatchTypeOf<{
      peerId: string
      data: DataMessage
    }>()
  })

  it('should accept options as an object, a ref or a getter', () => {
    expectTypeOf(useCall).toBeCallableWith(() => ({ signaling: 'http://localhost:3000' }))
    // @ts-expect-error signaling is required
    useCall({ roomId: 'a' })
  })
})
