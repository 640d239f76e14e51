import type { HealingOptions } from './peer.types'

/**
 * The wait after the `restart`-th ICE restart (1-based): `restartBackoffMs`, doubling with each
 * further restart, never longer than `maxRestartBackoffMs` — so once the network is back, the
 * next restart comes within that cap however long the outage was.
 */
export function restartBackoffMs(restart: number, options: HealingOptions): number {
  const doubled = options.restartBackoffMs * 2 ** Math.max(0, restart - 1)
  return Math.min(doubled, options.maxRestartBackoffMs)
}

/** The time spent healing once `restarts` ICE restarts each waited out their backoff. */
export function healingSpentMs(restarts: number, options: HealingOptions): number {
  let spent = 0
  for (let restart = 1; restart <= restarts; restart++) {
    spent += restartBackoffMs(restart, options)
  }
  return spent
}

/**
 * Whether another ICE restart is due after `restarts` of them: the restarts are not spent and
 * the budget has time left. Counted from the backoffs, not the clock, so the machine stays pure.
 */
export function canRestartAgain(restarts: number, options: HealingOptions): boolean {
  return restarts < options.maxIceRestarts && healingSpentMs(restarts, options) < options.budgetMs
}
