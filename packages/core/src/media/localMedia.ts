import { fromCallback } from 'xstate'
import { toMediaError } from '../call/call.errors'
import type { DeviceInfo, MediaCommand, MediaDevicesLike, MediaReport } from './media.types'

/** Input of {@link localMedia}. */
export interface LocalMediaInput {
  /** What to capture; false captures nothing (data-only or receive-only calls). */
  constraints: MediaStreamConstraints | false
  /** Where to capture from; absent on platforms without media. */
  mediaDevices: MediaDevicesLike | undefined
  /** Assembles the local stream: the platform's, since Node has no global MediaStream. */
  MediaStream: typeof MediaStream | undefined
}

const withDevice = (base: boolean | MediaTrackConstraints | undefined, deviceId: string) => ({
  ...(typeof base === 'object' ? base : {}),
  deviceId: { exact: deviceId },
})

/**
 * Owns the local tracks: acquires them, mutes, swaps devices, shares the screen, and stops every
 * track it ever acquired when the actor stops — even one that arrives after the call ended.
 * Track changes are reported so peers swap them with `replaceTrack`, without renegotiating.
 */
export const localMedia = fromCallback<MediaCommand, LocalMediaInput, MediaReport>(
  ({ input, sendBack, receive }) => {
    const devices = input.mediaDevices
    let stopped = false
    let mic: MediaStreamTrack | null = null
    let camera: MediaStreamTrack | null = null
    let screen: MediaStreamTrack | null = null
    let micEnabled = true
    let cameraEnabled = false
    // The camera the user picked: turning the camera back on must not fall back to the default.
    let cameraId: string | null = null
    const owned = new Set<MediaStreamTrack>()
    const constraints = input.constraints || {}

    const adopt = (track: MediaStreamTrack | undefined) => {
      if (!track) return null
      if (stopped) {
        track.stop()
        return null
      }
      owned.add(track)
      return track
    }
    const release = (track: MediaStreamTrack | null) => {
      if (!track) return
      track.stop()
      owned.delete(track)
    }
    const snapshot = () => {
      const video = screen ?? (cameraEnabled ? camera : null)
      const tracks = [mic, video].filter((track): track is MediaStreamTrack => track !== null)
      const Stream = input.MediaStream ?? globalThis.MediaStream
      return {
        stream: tracks.length > 0 ? new Stream(tracks) : null,
        micEnabled,
        cameraEnabled,
        screenSharing: screen !== null,
      }
    }
    const publish = () => {
      if (!stopped) sendBack({ type: 'MEDIA.UPDATED', media: snapshot() })
    }
    const sendVideo = () =>
      sendBack({
        type: 'MEDIA.TRACK',
        kind: 'video',
        track: screen ?? (cameraEnabled ? camera : null),
      })
    const fail = (error: unknown) => {
      if (!stopped) sendBack({ type: 'MEDIA.ERROR', error: toMediaError(error) })
    }
    const capture = async (wanted: MediaStreamConstraints) => {
      if (!devices)
        throw Object.assign(new Error('this platform has no mediaDevices'), {
          name: 'NotFoundError',
        })
      return devices.getUserMedia(wanted)
    }

    const listDevices = async () => {
      if (!devices?.enumerateDevices) return
      const list = await devices.enumerateDevices()
      const plain: DeviceInfo[] = list.map(({ deviceId, kind, label, groupId }) => ({
        deviceId,
        kind,
        label,
        groupId,
      }))
      if (!stopped) sendBack({ type: 'MEDIA.DEVICES', devices: plain })
    }
    const onDeviceChange = () => void listDevices().catch(() => {})

    if (input.constraints === false) {
      sendBack({ type: 'MEDIA.READY', media: snapshot() })
    } else {
      capture(input.constraints).then(
        (stream) => {
          mic = adopt(stream.getAudioTracks()[0])
          camera = adopt(stream.getVideoTracks()[0])
          cameraEnabled = camera !== null
          if (stopped) return
          sendBack({ type: 'MEDIA.READY', media: snapshot() })
          onDeviceChange()
        },
        (error: unknown) => {
          if (!stopped) sendBack({ type: 'MEDIA.FAILED', error: toMediaError(error) })
        },
      )
      devices?.addEventListener?.('devicechange', onDeviceChange)
    }

    const stopSharing = () => {
      release(screen)
      screen = null
      sendVideo()
      publish()
    }

    async function handle(command: MediaCommand) {
      switch (command.type) {
        case 'MEDIA.MIC':
          micEnabled = command.enabled
          if (mic) mic.enabled = command.enabled
          return publish()
        case 'MEDIA.CAMERA':
          if (!command.enabled) {
            release(camera)
            camera = null
            cameraEnabled = false
          } else if (!camera) {
            const video = cameraId
              ? withDevice(constraints.video, cameraId)
              : (constraints.video ?? true)
            camera = adopt((await capture({ video })).getVideoTracks()[0])
            cameraEnabled = camera !== null
          }
          if (!screen) sendVideo()
          return publish()
        case 'MEDIA.DEVICE': {
          const kind = command.kind === 'audioinput' ? 'audio' : 'video'
          const stream = await capture({ [kind]: withDevice(constraints[kind], command.deviceId) })
          if (kind === 'video') cameraId = command.deviceId
          const track = adopt(
            kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0],
          )
          if (!track) return
          if (kind === 'audio') {
            release(mic)
            mic = track
            mic.enabled = micEnabled
            sendBack({ type: 'MEDIA.TRACK', kind: 'audio', track: mic })
          } else {
            release(camera)
            camera = track
            cameraEnabled = true
            if (!screen) sendVideo()
          }
          return publish()
        }
        case 'MEDIA.SCREEN': {
          if (!command.enabled) return screen ? stopSharing() : undefined
          if (screen) return
          if (!devices?.getDisplayMedia) {
            throw Object.assign(new Error('screen sharing is not supported here'), {
              name: 'NotFoundError',
            })
          }
          const track = adopt(
            (await devices.getDisplayMedia({ video: true, audio: false })).getVideoTracks()[0],
          )
          if (!track) return
          screen = track
          // The browser's own "Stop sharing" button ends the track without asking us.
          track.addEventListener('ended', () => {
            if (screen === track) stopSharing()
          })
          sendVideo()
          return publish()
        }
      }
    }

    let queue = Promise.resolve()
    receive((command) => {
      queue = queue.then(() => handle(command).catch(fail))
    })

    return () => {
      stopped = true
      devices?.removeEventListener?.('devicechange', onDeviceChange)
      for (const track of owned) track.stop()
      owned.clear()
    }
  },
)
