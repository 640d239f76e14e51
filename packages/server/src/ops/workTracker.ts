/** Keeps track of work in flight (store calls of requests and disconnects). */
export interface WorkTracker {
  /** Registers work; it is forgotten once it settles. */
  track(work: Promise<unknown>): void
  /** Resolves once all tracked work settled, or after `timeoutMs`. */
  settled(timeoutMs: number): Promise<void>
  /** Resolves once no work is in flight and `done()` holds, or after `timeoutMs`. */
  idle(done: () => boolean, timeoutMs: number): Promise<void>
}

const POLL_MS = 25

/** Creates a work tracker. */
export function createWorkTracker(): WorkTracker {
  const inFlight = new Set<Promise<unknown>>()
  const idle = (done: () => boolean, timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs
    return new Promise((resolve) => {
      const check = (): void => {
        if ((inFlight.size === 0 && done()) || Date.now() >= deadline) resolve()
        else setTimeout(check, POLL_MS)
      }
      check()
    })
  }
  return {
    track(work) {
      inFlight.add(work)
      const forget = (): void => {
        inFlight.delete(work)
      }
      work.then(forget, forget)
    },
    settled: (timeoutMs) => idle(() => true, timeoutMs),
    idle,
  }
}
