/**
 * Starts something whose code is a lazy chunk, once the chunk has loaded, unless stopped first;
 * returns the stop, good before and after the load. A chunk that fails to load leaves the
 * feature off and nothing else (the callers' features are optional: levels, stats).
 */
export function startWhenLoaded<M>(
  load: () => Promise<M>,
  start: (loaded: M) => () => void,
): () => void {
  let stop: (() => void) | null = null
  let stopped = false
  load().then(
    (loaded) => {
      if (!stopped) stop = start(loaded)
    },
    () => {},
  )
  return () => {
    stopped = true
    stop?.()
  }
}
