/** Runs tasks one after another, each starting when the previous one settled. */
export type Serial = <T>(task: () => Promise<T> | T) => Promise<T>

/**
 * A queue per socket: a socket's requests touch shared state (its place, the store) across
 * awaits, so a second `room:join` must not start before the first has finished, and a
 * disconnect must wait for the join it interrupts.
 */
export function createSerial(): Serial {
  let tail: Promise<unknown> = Promise.resolve()
  return (task) => {
    const run = tail.then(task)
    // The chain itself never rejects: one failed task must not fail the ones after it.
    tail = run.catch(() => {})
    return run
  }
}
