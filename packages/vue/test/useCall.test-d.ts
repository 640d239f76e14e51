import type { CallError, CallStatus, DeviceInfo, PeerStats, PeerView } from '@duet/core'
import { useCallTypes } from '@duet/test-kit/contract'
import { describe, expectTypeOf, it } from 'vitest'
import { type Ref, ref } from 'vue'
import { type DuetVideo, useCall } from '../src'

// Methods, listeners and the actor: the checks both bindings share.
useCallTypes(useCall)

describe('useCall types', () => {
  const call = useCall({ signaling: 'http://localhost:3000' })

  it('should expose state as read-only refs', () => {
    expectTypeOf(call.status).toEqualTypeOf<Readonly<Ref<CallStatus>>>()
    expectTypeOf(call.isConnected).toEqualTypeOf<Readonly<Ref<boolean>>>()
    expectTypeOf(call.isSignalingConnected).toEqualTypeOf<Readonly<Ref<boolean>>>()
    expectTypeOf(call.peers).toEqualTypeOf<Readonly<Ref<PeerView[]>>>()
    expectTypeOf(call.remoteStream).toEqualTypeOf<Readonly<Ref<MediaStream | null>>>()
    expectTypeOf(call.localStream).toEqualTypeOf<Readonly<Ref<MediaStream | null>>>()
    expectTypeOf(call.error).toEqualTypeOf<Readonly<Ref<CallError | null>>>()
    // @ts-expect-error state is read-only
    call.status.value = 'idle'
  })

  it('should expose media flags, devices and per-peer stats', () => {
    expectTypeOf(call.micEnabled).toEqualTypeOf<Readonly<Ref<boolean>>>()
    expectTypeOf(call.cameraEnabled).toEqualTypeOf<Readonly<Ref<boolean>>>()
    expectTypeOf(call.screenSharing).toEqualTypeOf<Readonly<Ref<boolean>>>()
    expectTypeOf(call.devices).toEqualTypeOf<Readonly<Ref<DeviceInfo[]>>>()
    expectTypeOf(call.peers.value[0]!.stats).toEqualTypeOf<PeerStats | null>()
    expectTypeOf(call.peers.value[0]!.stream).toEqualTypeOf<MediaStream | null>()
  })

  it('should accept options as an object, a ref or a getter', () => {
    expectTypeOf(useCall).toBeCallableWith(() => ({ signaling: 'http://localhost:3000' }))
    expectTypeOf(useCall).toBeCallableWith(ref({ signaling: 'http://localhost:3000' }))
    // @ts-expect-error signaling is required
    useCall({ roomId: 'a' })
  })
})

describe('DuetVideo types', () => {
  it('should take a nullable stream and a muted flag', () => {
    type Props = InstanceType<typeof DuetVideo>['$props']
    expectTypeOf<Props['stream']>().toEqualTypeOf<MediaStream | null | undefined>()
    expectTypeOf<Props['muted']>().toEqualTypeOf<boolean | undefined>()
  })
})
