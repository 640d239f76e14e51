import { expect } from 'vitest'
import type { CallReport } from './honestCall'

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until `check` holds, for up to `ms`. */
export async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!check() && Date.now() < end) await sleep(20)
}

/** Asserts that honest calls lost, duplicated, reordered and were refused nothing. */
export const expectWhole = (calls: CallReport[]) =>
  expect(calls).toEqual(
    calls.map((call) => ({ ...call, refused: 0, lost: 0, duplicated: 0, reordered: 0 })),
  )
