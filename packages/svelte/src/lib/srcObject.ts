import type { Attachment } from 'svelte/attachments'

/**
 * Attachment that plays a `MediaStream` in a `<video>` or `<audio>`, since `srcObject` cannot
 * be set from markup. Re-runs when `stream` changes; `onAutoplayBlocked` hears a refused play().
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
    element.play().catch((error: DOMException) => {
      // AbortError only means a newer stream replaced this one before it started.
      if (error.name === 'NotAllowedError') onAutoplayBlocked?.(error)
    })
    // Drop the reference so a detached element does not keep the stream's tracks alive.
    return () => {
      element.srcObject = null
    }
  }
}
