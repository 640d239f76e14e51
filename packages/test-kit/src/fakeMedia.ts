import type { MediaDevicesLike } from '@duet/core'

/** The devices the fake platform lists: two cameras and a microphone. */
export const FAKE_DEVICES = [
  { deviceId: 'cam-1', kind: 'videoinput', label: 'Front camera', groupId: 'a' },
  { deviceId: 'cam-2', kind: 'videoinput', label: 'Back camera', groupId: 'b' },
  { deviceId: 'mic-1', kind: 'audioinput', label: 'Microphone', groupId: 'a' },
] as const

/** A stand-in for a capture track: happy-dom has none, and the binding only passes them along. */
function fakeTrack(kind: 'audio' | 'video', deviceId: string): MediaStreamTrack {
  const track = Object.assign(new EventTarget(), {
    kind,
    id: `${deviceId}-${Math.random().toString(36).slice(2)}`,
    enabled: true,
    readyState: 'live' as MediaStreamTrackState,
    getSettings: () => ({ deviceId }),
    stop() {
      track.readyState = 'ended'
    },
  })
  return track as unknown as MediaStreamTrack
}

/** Fake `mediaDevices`: every track it ever handed out is in `tracks`, to check none stays live. */
export type FakeMediaDevices = MediaDevicesLike & { tracks: MediaStreamTrack[] }

/** A fresh {@link FakeMediaDevices}, with no track handed out yet. */
export function fakeMediaDevices(): FakeMediaDevices {
  const tracks: MediaStreamTrack[] = []
  return {
    tracks,
    async getUserMedia(constraints) {
      const pick = (kind: 'audio' | 'video', fallback: string) => {
        const wanted = constraints?.[kind]
        if (!wanted) return []
        const exact = typeof wanted === 'object' ? wanted.deviceId : undefined
        const id =
          typeof exact === 'object' && !Array.isArray(exact) ? String(exact.exact) : fallback
        const track = fakeTrack(kind, id)
        tracks.push(track)
        return [track]
      }
      return new MediaStream([...pick('audio', 'mic-1'), ...pick('video', 'cam-1')])
    },
    enumerateDevices: async () =>
      FAKE_DEVICES.map((device) => ({ ...device, toJSON: () => device })),
  }
}
