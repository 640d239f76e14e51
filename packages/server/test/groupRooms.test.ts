import { ErrorCode, type JoinResult, type JoinSuccess } from '@duet/core/protocol'
import { describe, expect, it } from 'vitest'
import { type Client, eventsOf, flush, useHarness } from './harness'
import { useRedis } from './support/redisServer'

const CAPACITY = 4
const ROUNDS = 10

/**
 * For a mesh every pair must agree on who came first: the later one finds the earlier in its
 * join result and offers, the earlier one is told of the later by `peer:joined` and waits. A
 * pair where both (or neither) saw the other would both offer (or never connect).
 */
async function expectOneOrder(joins: { client: Client; join: JoinSuccess }[]) {
  for (const a of joins) {
    for (const b of joins) {
      if (a === b) continue
      const aSawB = a.join.peers.some((peer) => peer.peerId === b.join.peerId)
      const bSawA = b.join.peers.some((peer) => peer.peerId === a.join.peerId)
      expect(aSawB).not.toBe(bSawA)
      // The earlier one is told of the later one. (Across nodes the later one may be told of
      // the earlier too, after its join answer; clients ignore a peer they already know.)
      const toldOfB = () =>
        eventsOf(a.client, 'peer:joined').some(
          (event) => (event as { peerId: string }).peerId === b.join.peerId,
        )
      // Across nodes the notice travels through Redis: it comes, but not by a round trip.
      if (bSawA) await expect.poll(toldOfB, { timeout: 5000 }).toBe(true)
    }
  }
}

// #16: group rooms of up to 16, filled by joins racing on two nodes that share one Redis.
describe('group rooms', () => {
  const { start, connect } = useHarness()
  const redisUrl = useRedis()
  const secret = 'shared-resume-secret-of-32-bytes-or-more'

  async function race(urls: string[], roomId: string, joiners: number) {
    const clients = await Promise.all(
      Array.from({ length: joiners }, (_, index) => connect(urls[index % urls.length] ?? '')),
    )
    const results: JoinResult[] = await Promise.all(
      clients.map((client) => client.emitWithAck('room:join', { roomId })),
    )
    const joins = results.flatMap((join, index) =>
      join.ok ? [{ client: clients[index] as Client, join }] : [],
    )
    await Promise.all(joins.map(({ client }) => flush(client)))
    return { results, joins }
  }

  it(`should let exactly ${CAPACITY} of 6 racing joins in across two nodes, with one join order every pair agrees on, ${ROUNDS} rounds`, async () => {
    const options = { redis: redisUrl(), resumeSecret: secret, maxPeersPerRoom: CAPACITY }
    const nodes = [await start(options), await start(options)]
    for (let round = 0; round < ROUNDS; round += 1) {
      const { results, joins } = await race(
        nodes.map((node) => node.url),
        `group-${round}`,
        6,
      )
      expect(joins).toHaveLength(CAPACITY)
      for (const refused of results.filter((result) => !result.ok)) {
        expect(refused).toEqual({
          ok: false,
          error: {
            code: ErrorCode.ROOM_FULL,
            message: `room is full: it holds at most ${CAPACITY} peers`,
          },
        })
      }
      for (const { join } of joins) expect(join.capacity).toBe(CAPACITY)
      await expectOneOrder(joins)
      for (const { client } of joins) client.disconnect()
    }
  }, 60_000)

  it('should hold 16 peers in one room on the in-memory store and refuse the 17th', async () => {
    const { url } = await start({ maxPeersPerRoom: 16 })
    const { results, joins } = await race([url], 'sixteen', 17)
    expect(joins).toHaveLength(16)
    expect(results.filter((result) => !result.ok)).toHaveLength(1)
    await expectOneOrder(joins)
  })
})
