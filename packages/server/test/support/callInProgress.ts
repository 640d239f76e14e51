import { expect } from 'vitest'
import type { Client } from '../harness'

const MIN_SENT = 20

/**
 * Two peers of one room relaying numbered signals to each other in the background, so a test
 * can check that whatever it throws at the server meanwhile costs this call nothing.
 */
export function callInProgress(
  sender: Client,
  receiver: Client,
  to: string,
  everyMs = 5,
): { stop(): Promise<void>; check(): void } {
  const received: number[] = []
  const failures: unknown[] = []
  let sent = 0
  receiver.on('signal:receive', ({ signal }) => {
    if (signal.type === 'candidate' && signal.candidate)
      received.push(Number(signal.candidate.sdpMid))
  })
  const inFlight = new Set<Promise<void>>()
  const timer = setInterval(() => {
    const n = sent++
    const signal = {
      type: 'candidate' as const,
      candidate: {
        candidate: `candidate:${n} 1 udp 1 127.0.0.1 9 typ host`,
        sdpMid: String(n),
        sdpMLineIndex: 0,
      },
    }
    const done = sender
      .timeout(5000)
      .emitWithAck('signal:send', { to, signal })
      .then(
        (result) => {
          if (!result.ok) failures.push(result)
        },
        (error: unknown) => {
          failures.push(error)
        },
      )
    inFlight.add(done)
    void done.then(() => inFlight.delete(done))
  }, everyMs)
  return {
    async stop() {
      // Enough relays to mean something, however fast the rest of the test was.
      const deadline = Date.now() + 5000
      while (sent < MIN_SENT && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, everyMs))
      clearInterval(timer)
      await Promise.all(inFlight)
      // Relays are emitted before their ack; one more round trip lets the last ones land.
      await sender.timeout(5000).emitWithAck('signal:send', null as never)
      await receiver.timeout(5000).emitWithAck('signal:send', null as never)
    },
    check() {
      expect(failures).toEqual([])
      expect(sent).toBeGreaterThanOrEqual(MIN_SENT)
      expect(received).toEqual(Array.from({ length: sent }, (_, n) => n))
    },
  }
}
