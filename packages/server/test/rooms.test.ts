import { createClient } from '@redis/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemoryRoomStore } from '../src/rooms/memoryRoomStore'
import { RedisRoomStore } from '../src/rooms/redisRoomStore'
import type { RoomStore } from '../src/rooms/roomStore'
import { type RedisProcess, startRedis } from './support/redisServer'

const signal = (from: string, n: number) => ({
  from,
  signal: {
    type: 'candidate' as const,
    candidate: { candidate: `c${n}`, sdpMid: '0', sdpMLineIndex: 0 },
  },
})

const BUDGETS = { mailboxBytes: 1 << 20, roomBytes: 2 << 20, storeBytes: 64 << 20 }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The contract every room store keeps, run against each implementation. */
function storeContract(name: string, make: () => Promise<RoomStore>) {
  describe(name, () => {
    let store: RoomStore
    let n = 0
    // A fresh room per test: the Redis store is shared across tests.
    const room = () => `r${++n}-${Math.random().toString(36).slice(2, 8)}`

    beforeAll(async () => {
      store = await make()
    })

    it('should list the others oldest first and refuse joins beyond capacity', async () => {
      const r = room()
      expect(await store.join({ roomId: r, peerId: 'a', socketId: 'sa' }, 3)).toEqual({
        ok: true,
        others: [],
      })
      expect(await store.join({ roomId: r, peerId: 'b', socketId: 'sb' }, 3)).toEqual({
        ok: true,
        others: ['a'],
      })
      expect(await store.join({ roomId: r, peerId: 'c', socketId: 'sc' }, 3)).toEqual({
        ok: true,
        others: ['a', 'b'],
      })
      expect(await store.join({ roomId: r, peerId: 'd', socketId: 'sd' }, 3)).toEqual({
        ok: false,
        reason: 'full',
      })
    })

    it('should let exactly one of many racing joins take the last place', async () => {
      const r = room()
      await store.join({ roomId: r, peerId: 'first', socketId: 's0' }, 2)
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.join({ roomId: r, peerId: `p${i}`, socketId: `s${i}` }, 2),
        ),
      )
      expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1)
    })

    it('should free a place only for the socket that owns it', async () => {
      const r = room()
      await store.join({ roomId: r, peerId: 'a', socketId: 'sa' }, 2)
      expect(await store.leave({ roomId: r, peerId: 'a', socketId: 'intruder' })).toBe(false)
      expect(await store.leave({ roomId: r, peerId: 'a', socketId: 'sa' })).toBe(true)
      expect(await store.leave({ roomId: r, peerId: 'a', socketId: 'sa' })).toBe(false)
      expect(await store.join({ roomId: r, peerId: 'b', socketId: 'sb' }, 2)).toEqual({
        ok: true,
        others: [],
      })
    })

    it('should route relays: live, kept for an away peer in order, missing, or refused for a sender without a place', async () => {
      const r = room()
      const a = { roomId: r, peerId: 'a', socketId: 'sa' }
      const b = { roomId: r, peerId: 'b', socketId: 'sb' }
      await store.join(a, 2)
      await store.join(b, 2)
      expect(await store.deliver(a, 'b', signal('a', 0))).toBe('live')
      expect(await store.deliver(a, 'nobody', signal('a', 0))).toBe('missing')
      expect(await store.deliver({ ...a, socketId: 'stale' }, 'b', signal('a', 0))).toBe('gone')
      expect(await store.hold(b, 60_000)).toBe(true)
      expect(await store.deliver(a, 'b', signal('a', 1))).toBe('held')
      expect(await store.deliver(a, 'b', signal('a', 2))).toBe('held')
      const b2 = { ...b, socketId: 'sb2' }
      const back = await store.resume(b2, 'sb')
      expect(back).toEqual({ ok: true, replaced: 'sb', others: ['a'], kept: true })
      // Until the kept ones are acknowledged, new relays queue behind them.
      expect(await store.deliver(a, 'b', signal('a', 3))).toBe('held')
      expect(await store.keptPage(b, 1 << 20)).toBeUndefined()
      expect(await store.keptPage(b2, 1 << 20)).toEqual([
        signal('a', 1),
        signal('a', 2),
        signal('a', 3),
      ])
      // A page not acknowledged stays: asked again, it comes again.
      expect(await store.keptPage(b2, 1)).toEqual([signal('a', 1)])
      expect(await store.forgetKept(b2, 1)).toBe(2)
      expect(await store.forgetKept(b2, 2)).toBe(0)
      // Delivered once: the mailbox is empty now and the peer is live again.
      expect(await store.deliver(a, 'b', signal('a', 4))).toBe('live')
      expect(await store.leave(b)).toBe(false)
      expect(await store.leave({ ...b, socketId: 'sb2' })).toBe(true)
    })

    it('should give a place back only if the expected socket still owns it', async () => {
      const r = room()
      const a = { roomId: r, peerId: 'a', socketId: 'sa' }
      await store.join(a, 2)
      await store.hold(a, 60_000)
      expect(await store.resume(a, 'sa')).toEqual({
        ok: true,
        replaced: undefined,
        others: [],
        kept: false,
      })
      await store.resume({ ...a, socketId: 'new' }, 'sa')
      expect(await store.resume(a, 'sa')).toEqual({ ok: false, reason: 'taken' })
      // The new owner asking again (its answer was lost) gets it, nobody else does.
      expect(await store.resume({ ...a, socketId: 'new' }, 'sa')).toMatchObject({ ok: true })
      // A second takeover from the same previous owner (a replayed resume token) fails.
      expect(await store.resume({ ...a, socketId: 'thief' }, 'sa')).toEqual({
        ok: false,
        reason: 'taken',
      })
      expect(await store.hold(a, 60_000)).toBe(false)
      expect(await store.resume({ ...a, peerId: 'ghost' }, 'sa')).toEqual({
        ok: false,
        reason: 'missing',
      })
    })

    it('should free a held place once its hold ran out, to one sweeper only', async () => {
      const r = room()
      const a = { roomId: r, peerId: 'a', socketId: 'sa' }
      await store.join(a, 2)
      await store.hold(a, 30)
      await sleep(60)
      const sweeps = await Promise.all([store.sweep(), store.sweep()])
      expect(sweeps.flat().filter((place) => place.roomId === r)).toEqual([
        { roomId: r, peerId: 'a' },
      ])
      expect(await store.join({ roomId: r, peerId: 'b', socketId: 'sb' }, 2)).toEqual({
        ok: true,
        others: [],
      })
    })

    it('should report an expired place on resume and free it', async () => {
      const r = room()
      const a = { roomId: r, peerId: 'a', socketId: 'sa' }
      await store.join(a, 2)
      await store.hold(a, 10)
      await sleep(40)
      expect(await store.resume(a, 'sa')).toEqual({ ok: false, reason: 'expired' })
      expect(await store.resume(a, 'sa')).toEqual({ ok: false, reason: 'missing' })
    })
  })
}

storeContract('MemoryRoomStore', async () => new MemoryRoomStore({ budgets: BUDGETS }))

describe('RedisRoomStore', () => {
  let redis: RedisProcess
  let client: ReturnType<typeof createClient>

  beforeAll(async () => {
    redis = await startRedis()
    client = createClient({ url: redis.url })
    await client.connect()
  })

  afterAll(async () => {
    await client?.close()
    await redis?.stop()
  })

  storeContract(
    'contract',
    async () => new RedisRoomStore(client, { leaseMs: 5000, budgets: BUDGETS }),
  )

  it('should let a dead node\u2019s places lapse after the lease unless renewed', async () => {
    const store = new RedisRoomStore(client, { leaseMs: 100, budgets: BUDGETS })
    const alive = { roomId: 'lease', peerId: 'alive', socketId: 's1' }
    const dead = { roomId: 'lease', peerId: 'dead', socketId: 's2' }
    await store.join(alive, 3)
    await store.join(dead, 3)
    for (let i = 0; i < 4; i++) {
      await sleep(50)
      await store.refresh([alive])
    }
    const freed = await store.sweep()
    expect(freed).toEqual([{ roomId: 'lease', peerId: 'dead' }])
  })

  // fix #13 (finding 7): a node renewed every place it holds in one script, which blocks Redis
  // (and every other node) for as long as it runs.
  it('should renew many places in short batches, each place once', async () => {
    const sizes: number[] = []
    const recording = {
      sendCommand: (args: string[]) => {
        sizes.push(args.length)
        return client.sendCommand(args)
      },
    }
    const store = new RedisRoomStore(recording, { leaseMs: 5000, budgets: BUDGETS })
    const places = Array.from({ length: 1000 }, (_, i) => ({
      roomId: `batch-${i}`,
      peerId: 'p',
      socketId: `s${i}`,
    }))
    await Promise.all(places.map((place) => store.join(place, 2)))
    sizes.length = 0
    await store.refresh(places)
    // EVALSHA, the digest, the key count, the prefix, the lease, then three per place.
    expect(sizes).toEqual(Array(10).fill(5 + 3 * 100))
  })

  it('should reload its scripts after Redis forgot them', async () => {
    const store = new RedisRoomStore(client, { leaseMs: 5000, budgets: BUDGETS })
    await client.sendCommand(['SCRIPT', 'FLUSH'])
    expect(await store.join({ roomId: 'flushed', peerId: 'a', socketId: 's' }, 2)).toEqual({
      ok: true,
      others: [],
    })
    await expect(store.check()).resolves.toBeUndefined()
  })
})
