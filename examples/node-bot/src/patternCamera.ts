import type { MediaDevicesLike } from '@duet/core'
import wrtc from '@roamhq/wrtc'
import { createI420Frame, drawTestPattern } from './testPattern'

/** Size and rate of the generated video. */
export interface PatternOptions {
  /** @default 640 */
  width?: number
  /** @default 360 */
  height?: number
  /** @default 15 */
  fps?: number
}

/** A camera made of a test pattern, as the `mediaDevices` of a call's platform. */
export interface PatternCamera {
  /** What the call captures from: every `getUserMedia` gets a new pattern track and silence. */
  mediaDevices: MediaDevicesLike
  /** Stops every pattern started, including tracks the call already stopped. */
  stop(): void
}

/**
 * A fake camera for Node: wrtc's nonstandard `RTCVideoSource` fed with I420 frames of a moving
 * test pattern, and a microphone that is never fed (silence).
 */
export function createPatternCamera(options: PatternOptions = {}): PatternCamera {
  const { width = 640, height = 360, fps = 15 } = options
  const timers = new Set<ReturnType<typeof setInterval>>()

  const startPattern = (): MediaStreamTrack => {
    const source = new wrtc.nonstandard.RTCVideoSource()
    const track = source.createTrack()
    const frame = createI420Frame(width, height)
    let tick = 0
    const timer = setInterval(() => {
      // A stopped track fires no `ended` event (by spec), so its state is checked instead.
      if (track.readyState === 'ended') {
        clearInterval(timer)
        timers.delete(timer)
        return
      }
      drawTestPattern(frame, tick++)
      source.onFrame(frame)
    }, 1000 / fps)
    timers.add(timer)
    return track
  }

  // A track, even a silent one, makes the call add it with `addTrack`. Only such a sender
  // takes over the m-line of a remote offer (JSEP); a bare audio transceiver would not, and
  // answering a browser's offer would then take a second negotiation to add its own m-line.
  const silence = (): MediaStreamTrack => new wrtc.nonstandard.RTCAudioSource().createTrack()

  const getUserMedia = async (constraints?: MediaStreamConstraints): Promise<MediaStream> => {
    const tracks = [
      ...(constraints?.audio ? [silence()] : []),
      ...(constraints?.video ? [startPattern()] : []),
    ]
    return new wrtc.MediaStream(tracks)
  }

  return {
    mediaDevices: { getUserMedia },
    stop() {
      for (const timer of timers) clearInterval(timer)
      timers.clear()
    },
  }
}
