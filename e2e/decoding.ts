import { type Evaluates, framesDecoded } from './browser'

/**
 * Waits until the page decodes video again: two samples of its decoded-frame count, 100 ms
 * apart, that rise. A rise, not a total, so a connection made anew (its count starting at zero)
 * counts as well as the old one resuming. Resolves with the wall-clock time of the rise.
 */
export async function decodingAgain(page: Evaluates, timeout: number): Promise<number> {
  const deadline = Date.now() + timeout
  let previous = await framesDecoded(page)
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    const now = await framesDecoded(page)
    if (now > previous) return Date.now()
    previous = now
    if (Date.now() > deadline) throw new Error(`no frame decoded within ${timeout} ms`)
  }
}
