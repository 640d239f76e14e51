import type {
  CallActor,
  CallError,
  CallStatus,
  DataMessage,
  DeviceInfo,
  FileReport,
  PeerStats,
  PeerView,
  SendFileOptions,
} from '@duet/core'
import type { Component } from 'svelte'
import type { Attachment } from 'svelte/attachments'
import { describe, expectTypeOf, it } from 'vitest'
import {
  type CallFileEvent,
  type CallMessage,
  DuetVideo,
  type DuetVideoProps,
  srcObject,
  useCall,
} from '../src/lib'

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

  it('should expose methods and the actor', () => {
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
