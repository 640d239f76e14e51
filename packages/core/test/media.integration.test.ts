import type { SignalingServer } from '@duet/server'
import wrtc from '@roamhq/wrtc'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type CallActor, connectCall, type MediaDevicesLike, type Platform } from '../src'
import { nodeCall, nodePlatform, reach, startServer, until } from './support/nodePeers'

// fix #14: Node has no global MediaStream; the local stream is built with the platform's.
describe('a call in Node that sends video', () => {
  let server: SignalingServer
  let url: string
  const calls: CallActor[] = []
  const timers: ReturnType<typeof setInterval>[] = []

  beforeEach(async () => {
    ;({ server, url } = await startServer())
  })

  afterEach(async () => {
    for (const call of calls.splice(0)) call.stop()
    for (const timer of timers.splice(0)) clearInterval(timer)
    await server.close()
  })

  /** A camera made of wrtc's nonstandard video source, fed grey frames. */
  const camera: MediaDevicesLike = {
    async getUserMedia() {
      const source = new wrtc.nonstandard.RTCVideoSource()
      const frame = { width: 64, height: 48, data: new Uint8Array((64 * 48 * 3) / 2).fill(128) }
      timers.push(setInterval(() => source.onFrame(frame), 50))
      return new wrtc.MediaStream([source.createTrack()])
    },
  }
  const platform: Platform = {
    ...nodePlatform,
    MediaStream: wrtc.MediaStream,
    mediaDevices: camera,
  }

  it('should show its own video locally and deliver it to the other peer', async () => {
    const sender = nodeCall(url, {
      roomId: 'room-video',
      media: { video: true },
      platform,
    })
    const receiver = nodeCall(url, { roomId: 'room-video', media: { video: true }, platform })
    calls.push(sender, receiver)
    connectCall(receiver.getSnapshot(), receiver.send).join()
    await reach(receiver, 'ready')
    connectCall(sender.getSnapshot(), sender.send).join()
    await Promise.all([reach(sender, 'connected'), reach(receiver, 'connected')])

    const local = connectCall(sender.getSnapshot(), sender.send).localStream
    expect(local?.getVideoTracks()).toHaveLength(1)
    await until(
      () =>
        (connectCall(receiver.getSnapshot(), receiver.send).remoteStream?.getVideoTracks().length ??
          0) > 0,
      10_000,
      'a remote video track',
    )
  })
})
