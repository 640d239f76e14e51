/** A unit of work of one socket: done when it returns, or when the promise it returns settles. */
export type Task = () => void | PromiseLike<void>

/** What every socket's queue reports to the server; one object shared by all of them. */
export interface SerialHooks {
  /** Receives work that outlives the call that started it, so closing can wait for it. */
  track(work: Promise<unknown>): void
  /** Receives what a task threw or rejected with; the queue goes on regardless. */
  failed(error: unknown): void
}

const isThenable = (value: unknown): value is PromiseLike<void> =>
  typeof (value as PromiseLike<void> | undefined)?.then === 'function'

/**
 * A queue per socket: a socket's requests touch shared state (its place, the store) across
 * awaits, so a second `room:join` must not start before the first has finished, and a
 * disconnect must wait for the join it interrupts. Most requests (a relay over the in-memory
 * store) finish synchronously: with nothing pending they run at once, with no promise, no
 * microtask and nothing to track, which is the whole cost of the queue on the hot path. A class,
 * not closures: there is one per socket, so its size is per-socket memory.
 */
export class Serial {
  #tail: Promise<void> | undefined
  #pending = 0

  constructor(readonly hooks: SerialHooks) {}

  /** Runs `task` now if nothing is pending, else after everything given before it. */
  run(task: Task): void {
    if (this.#tail === undefined) {
      const work = this.#start(task)
      if (work) this.#enqueue(work)
      return
    }
    this.#enqueue(this.#tail.then(() => this.#start(task)))
  }

  #start(task: Task): Promise<void> | undefined {
    let result: void | PromiseLike<void>
    try {
      result = task()
    } catch (error) {
      this.hooks.failed(error)
      return undefined
    }
    return isThenable(result) ? Promise.resolve(result) : undefined
  }

  #enqueue(work: Promise<void>): void {
    this.#pending += 1
    // The chain itself never rejects: one failed task must not fail the ones after it.
    const tail = work.then(
      () => this.#settle(),
      (error: unknown) => {
        this.#settle()
        this.hooks.failed(error)
      },
    )
    this.#tail = tail
    this.hooks.track(tail)
  }

  #settle(): void {
    this.#pending -= 1
    if (this.#pending === 0) this.#tail = undefined
  }
}
