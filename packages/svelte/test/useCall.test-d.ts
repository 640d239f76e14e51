import type { CallError, CallStatus, DeviceInfo, PeerStats, PeerView } from '@duet/core'
import { useCallTypes } from '@duet/test-kit/contract'
import type { Component } from 'svelte'
import type { Attachment } from 'svelte/attachments'
import { describe, expectTypeOf, it } from 'vitest'
import { DuetVideo, type DuetVideoProps, srcObject, useCall } from '../src/lib'

// Methods, listeners and the actor: the checks both bindings share.
useCallTypes(useCall)

describe('useCall types', () => {
  const call = useCall({ signaling: 'http://localhost:3000' })

  it('should expose state as plain read-only values', () => {
    expectTypeOf(call.status).toEqualTypeOf<CallStatus>()
    expectTypeOf(call.isConnected).toEqualTypeOf<boolean>()
    expectTypeOf(call.isSignalingConnected).toEqualTypeOf<boolean>()
    expectTypeOf(call.peers).toEqualTypeOf<PeerView[]>()
    expectTypeOf(call.remoteStream).toEqualTypeOf<MediaStream | null>()
    expectTypeOf(call.localStream).toEqualTypeOf<MediaStream | null>()
    expectTypeOf(call.error).toEqualTypeOf<CallError | null>()
    // @ts-expect-error state is read-only
    call.status = 'idle'
  })

  it('should expose media flags, devices and per-peer stats', () => {
    expectTypeOf(call.micEnabled).toEqualTypeOf<boolean>()
    expectTypeOf(call.cameraEnabled).toEqualTypeOf<boolean>()
    expectTypeOf(call.screenSharing).toEqualTypeOf<boolean>()
    expectTypeOf(call.devices).toEqualTypeOf<DeviceInfo[]>()
    expectTypeOf(call.peers[0]!.stats).toEqualTypeOf<PeerStats | null>()
  })

  it('should accept options as an object or an accessor', () => {
    expectTypeOf(useCall).toBeCallableWith(() => ({ signaling: 'http://localhost:3000' }))
    // @ts-expect-error signaling is required
    useCall({ roomId: 'a' })
  })
})

describe('DuetVideo and srcObject types', () => {
  it('should type the component props and the attachment', () => {
    expectTypeOf(DuetVideo).toEqualTypeOf<Component<DuetVideoProps>>()
    expectTypeOf<DuetVideoProps['stream']>().toEqualTypeOf<MediaStream | null>()
    expectTypeOf(srcObject).returns.toEqualTypeOf<Attachment<HTMLMediaElement>>()
  })
})
