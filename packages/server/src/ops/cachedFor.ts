/**
 * Wraps an async check so that calls within `ms` of the last one share its answer (or the one
 * still pending) instead of asking again.
 */
export function cachedFor<T>(ms: number, check: () => Promise<T>): () => Promise<T> {
  let last: { at: number; answer: Promise<T> } | undefined
  return () => {
    const now = performance.now()
    if (!last || now - last.at >= ms) last = { at: now, answer: check() }
    return last.answer
  }
}
