import type { CallError } from '../shared/shared.types'

/** A media device as plain data. */
export interface DeviceInfo {
  /** Id to pass to `selectDevice`. */
  deviceId: string
  /** Camera, microphone or speaker. */
  kind: MediaDeviceKind
  /** Human-readable name (empty until permission was granted). */
  label: string
  /** Devices sharing hardware share a group. */
  groupId: string
}

/** The local media as the UI shows it. */
export interface LocalMediaState {
  /** What is being sent: mic + camera (or screen). A new object on every change. */
  stream: MediaStream | null
  /** Microphone unmuted. */
  micEnabled: boolean
  /** Camera on. */
  cameraEnabled: boolean
  /** Screen being shared in place of the camera. */
  screenSharing: boolean
}

/** The media APIs the call uses; a subset of `MediaDevices`, so tests and Node can inject. */
export type MediaDevicesLike = Pick<MediaDevices, 'getUserMedia'> &
  Partial<
    Pick<
      MediaDevices,
      'getDisplayMedia' | 'enumerateDevices' | 'addEventListener' | 'removeEventListener'
    >
  >

/** Commands the user gives local media. */
export type MediaCommand =
  | { type: 'MEDIA.MIC'; enabled: boolean }
  | { type: 'MEDIA.CAMERA'; enabled: boolean }
  | { type: 'MEDIA.DEVICE'; kind: 'audioinput' | 'videoinput'; deviceId: string }
  | { type: 'MEDIA.SCREEN'; enabled: boolean }

/** What the local media actor reports. */
export type MediaReport =
  | { type: 'MEDIA.READY'; media: LocalMediaState }
  | { type: 'MEDIA.FAILED'; error: CallError }
  | { type: 'MEDIA.UPDATED'; media: LocalMediaState }
  | { type: 'MEDIA.TRACK'; kind: 'audio' | 'video'; track: MediaStreamTrack | null }
  | { type: 'MEDIA.DEVICES'; devices: DeviceInfo[] }
  | { type: 'MEDIA.ERROR'; error: CallError }
