import type { DeviceInfo } from '@duet/core'

// The exact accessible names of the media toggles; the e2e tests find the buttons by them.
/** The microphone toggle's name: what clicking it does. */
export const micLabel = (enabled: boolean) => (enabled ? 'Mute microphone' : 'Unmute microphone')
/** The camera toggle's name. */
export const cameraLabel = (enabled: boolean) => (enabled ? 'Turn camera off' : 'Turn camera on')
/** The screen-share toggle's name. */
export const screenLabel = (sharing: boolean) => (sharing ? 'Stop sharing' : 'Share screen')

/**
 * Shown while the browser refuses to start the remote video by itself (Safari and iOS before
 * any interaction, Chromium with a strict autoplay policy); `DuetVideo` starts it on the next
 * gesture, so the hint only says what to do.
 */
export const AUTOPLAY_HINT =
  'Your browser did not start the video: click or press a key to start it.'

/** Whether this browser can share a screen at all (mobile browsers cannot). */
export function canShareScreen(): boolean {
  return typeof navigator.mediaDevices?.getDisplayMedia === 'function'
}

/** A device picker's options. */
export interface DeviceOption {
  deviceId: string
  label: string
}

/** The devices of one kind, with a readable name even before permission reveals labels. */
export function deviceOptions(
  devices: DeviceInfo[],
  kind: 'audioinput' | 'videoinput',
): DeviceOption[] {
  const noun = kind === 'videoinput' ? 'Camera' : 'Microphone'
  return devices
    .filter((device) => device.kind === kind && device.deviceId !== '')
    .map((device, index) => ({
      deviceId: device.deviceId,
      label: device.label || `${noun} ${index + 1}`,
    }))
}

/** The device a stream's track of this kind captures from, or '' when there is none. */
export function currentDeviceId(
  stream: MediaStream | null,
  kind: 'audioinput' | 'videoinput',
): string {
  const track = kind === 'videoinput' ? stream?.getVideoTracks()[0] : stream?.getAudioTracks()[0]
  return track?.getSettings().deviceId ?? ''
}
