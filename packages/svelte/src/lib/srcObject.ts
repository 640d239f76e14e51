import { playMedia } from '@duet/core'
import type { Attachment } from 'svelte/attachments'

/**
 * Attachment that plays a `MediaStream` in a `<video>` or `<audio>`, since `srcObject` cannot
 * be set from markup. Re-runs when `stream` changes. When the browser refuses to autoplay
 * (Safari, iOS), `onAutoplayBlocked` hears it and playback starts on the next user gesture
 * (a key, a click or a tap anywhere in the page).
 * @example
 * <video autoplay playsinline {@attach srcObject(call.remoteStream)}></video>
 */
export function srcObject(
  stream: MediaStream | null,
  onAutoplayBlocked?: (error: DOMException) => void,
): Attachment<HTMLMediaElement> {
  return (element) => {
    element.srcObject = stream
    if (!stream) return
    const stopPlaying = playMedia(element, onAutoplayBlocked)
    // Drop the reference so a detached element does not keep the stream's tracks alive.
    return () => {
      stopPlaying()
      element.srcObject = null
    }
  }
}
