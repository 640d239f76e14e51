import { ackKept, connected, type HostileClient, join, numbered, numberOf, send } from './clients'

/** What an honest call saw: every relay must arrive once and in order. */
export interface CallReport {
  /** Relays each side sent, together. */
  sent: number
  /** Relays the server refused or did not answer. */
  refused: number
  /** Relays acknowledged but never received. */
  lost: number
  /** Relays received more than once. */
  duplicated: number
  /** Relays received out of order. */
  reordered: number
}

const PERIOD_MS = 100

/**
 * Two clients in their own room relaying numbered candidates to each other every 100 ms (well
 * within the default rate), as a call's signaling does, from their own addresses.
 */
export async function startHonestCall(
  url: string,
  roomId: string,
  addresses: [string, string],
  auth?: Record<string, unknown>,
): Promise<{ stop(): Promise<CallReport> }> {
  const sides: HostileClient[] = []
  const ids: string[] = []
  for (const address of addresses) {
    const client = await connected(url, address, auth)
    ackKept(client)
    sides.push(client)
    ids.push((await join(client, roomId)).peerId)
  }
  const received: number[][] = [[], []]
  const acked: number[] = [0, 0]
  let refused = 0
  sides.forEach((client, side) => {
    client.on('signal:receive', ({ signal }) => {
      const n = numberOf(signal)
      if (n !== undefined) received[side]?.push(n)
    })
  })
  const inFlight = new Set<Promise<void>>()
  let next = 0
  const timer = setInterval(() => {
    const n = next++
    sides.forEach((client, side) => {
      const to = ids[1 - side] ?? ''
      const sending = send(client, to, numbered(n)).then((answer) => {
        if (answer === 'ok') acked[side] = (acked[side] ?? 0) + 1
        else refused++
      })
      inFlight.add(sending)
      void sending.finally(() => inFlight.delete(sending))
    })
  }, PERIOD_MS)

  return {
    async stop() {
      clearInterval(timer)
      await Promise.all(inFlight)
      // Relays acknowledged are on their way: give them time to land (a loaded machine is slow).
      const landed = () =>
        received.every((numbers, side) => numbers.length >= (acked[1 - side] ?? 0))
      for (let waited = 0; waited < 5000 && !landed(); waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      for (const client of sides) client.close()
      let lost = 0
      let duplicated = 0
      let reordered = 0
      received.forEach((numbers, side) => {
        const expected = acked[1 - side] ?? 0
        lost += Math.max(0, expected - new Set(numbers).size)
        duplicated += numbers.length - new Set(numbers).size
        reordered += numbers.filter((n, i) => i > 0 && n < (numbers[i - 1] ?? 0)).length
      })
      return { sent: next * 2, refused, lost, duplicated, reordered }
    },
  }
}
