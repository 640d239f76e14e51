/**
 * Input events that grant user activation (HTML spec), so a `play()` from their handler is
 * allowed: a key press, a mouse button pressed, or a touch or pen lifted. A touch's
 * `pointerdown` grants none (iOS waits for the finger to lift), hence `pointerup` too.
 */
const GESTURES = ['keydown', 'pointerdown', 'pointerup'] as const

const isAutoplayRefusal = (error: unknown): error is DOMException =>
  typeof error === 'object' && error !== null && 'name' in error && error.name === 'NotAllowedError'

/**
 * Starts playback of a `<video>` or `<audio>` the way Safari and iOS allow. When the browser
 * refuses to autoplay (`NotAllowedError`: audible media, no user gesture yet, Low Power Mode),
 * `onAutoplayBlocked` hears it once and `play()` is retried on the next user gesture anywhere
 * in the document, until playback starts. Returns a function that stops waiting for it.
 * Bindings call it after setting `srcObject`; apps rarely need it directly.
 * @example
 * video.srcObject = stream
 * const stop = playMedia(video, () => showNotice('Tap anywhere to start the video'))
 */
export function playMedia(
  element: HTMLMediaElement,
  onAutoplayBlocked?: (error: DOMException) => void,
): () => void {
  const document = element.ownerDocument
  let active = true
  let waiting = false

  const stopWaiting = () => {
    if (!waiting) return
    waiting = false
    for (const type of GESTURES) document.removeEventListener(type, retry, true)
    element.removeEventListener('playing', stopWaiting)
  }
  const attempt = () =>
    element.play().then(stopWaiting, (error: unknown) => {
      // AbortError only means a newer source replaced this one before it started.
      if (!active || !isAutoplayRefusal(error) || waiting) return
      onAutoplayBlocked?.(error)
      waiting = true
      // Capture phase: a handler that stops propagation cannot swallow the gesture.
      for (const type of GESTURES) document.addEventListener(type, retry, true)
      // It may start without us too (the `autoplay` attribute, once the page got a gesture).
      element.addEventListener('playing', stopWaiting)
    })
  function retry() {
    if (active) void attempt()
  }

  void attempt()
  return () => {
    active = false
    stopWaiting()
  }
}
