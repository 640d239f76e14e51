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
import { describe, expectTypeOf, it } from 'vitest'
import { type Ref, ref } from 'vue'
import { type CallFileEvent, type CallMessage, type DuetVideo, useCall } from '../src'

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

  it('should expose methods as plain functions', () => {
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
