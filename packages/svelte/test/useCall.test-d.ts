import type { CallActor, CallStatus, DataMessage, PeerView } from '@duet/core'
import { describe, expectTypeOf, it } from 'vitest'
import { useCall } from '../src/lib'

describe('useCall types', () => {
  const call = useCall({ signaling: 'http://localhost:3000' })

  it('should expose state as plain read-only values', () => {
    expectTypeOf(call.status).toEqualTypeOf<CallStatus>()
    expectTypeOf(call.peers).toEqualTypeOf<PeerView[]>()
    expectTypeOf(call.remoteStream).toEqualTypeOf<MediaStream | null>()
    // @ts-expect-error state is read-only
    call.status = 'idle'
  })

  it('should expose methods, the actor and onMessage', () => {
    expectTypeOf(call.join).toEqualTypeOf<(roomId?: string) => void>()
    expectTypeOf(call.actor).toEqualTypeOf<CallActor>()
    expectTypeOf(call.onMessage).parameter(0).parameter(0).toMatchTypeOf<{
      peerId: string
      data: DataMessage
    }>()
  })

  it('should accept options as an object or an accessor', () => {
    expectTypeOf(useCall).toBeCallableWith(() => ({ signaling: 'http://localhost:3000' }))
    // @ts-expect-error signaling is required
    useCall({ roomId: 'a' })
  })
})
