import { closeAll, type HostileClient, MAX_OFFER, pairIn, send } from './clients'

/** How the relays of a mailbox attack were answered, by code (`ok` for kept). */
export type Answers = Record<string, number>

/** Most relays one attacker sends to its away peer: past the old count cap of 256. */
const MAX_RELAYS_PER_MAILBOX = 260

/**
 * The away-peer mailbox attack (#13 finding 1): one client holds both places of a room, drops
 * one socket, and relays the largest offers to the away one until the server refuses. `pairs`
 * rooms at once, so `2 × pairs` sockets, spread over addresses two rooms each.
 */
export async function mailboxAttack(url: string, pairs: number): Promise<Answers[]> {
  const clients: HostileClient[] = []
  try {
    const rooms = await Promise.all(
      Array.from({ length: pairs }, async (_, i) => {
        const address = `203.0.113.${Math.floor(i / 2) + 1}`
        const { first: away, second: sender, ids } = await pairIn(url, address, `mailbox-${i}`)
        clients.push(away, sender)
        return { away, sender, peerId: ids[0] }
      }),
    )
    // Dropped without a goodbye, as a lost network would: the place is held for its return.
    for (const { away } of rooms) away.io.engine.close()
    await new Promise((resolve) => setTimeout(resolve, 300))
    return await Promise.all(
      rooms.map(async ({ sender, peerId }) => {
        const answers: Answers = {}
        for (let n = 0; n < MAX_RELAYS_PER_MAILBOX; n++) {
          const answer = await send(sender, peerId, MAX_OFFER)
          answers[answer] = (answers[answer] ?? 0) + 1
          if (answer !== 'ok') break
        }
        return answers
      }),
    )
  } finally {
    closeAll(clients)
  }
}
