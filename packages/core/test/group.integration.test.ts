import type { SignalingServer } from '@duet/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type CallActor, connectCall } from '../src'
import { countingPlatform, nodeCall, reach, startServer, until } from './support/nodePeers'

// Group calls (#16): a full mesh, one negotiation per pair, each untouched by the others' fate.
describe('a group call of four in Node', () => {
  let server: SignalingServer
  let url: string
  const calls: CallActor[] = []

  beforeEach(async () => {
    ;({ server, url } = await startServer({ maxPeersPerRoom: 4, rateLimit: false }))
  })

  afterEach(async () => {
    for (const call of calls.splice(0)) call.stop()
    await server.close()
  })

  const api = (call: CallActor) => connectCall(call.getSnapshot(), call.send)

  function member(roomId: string) {
    const counted = countingPlatform()
    const call = nodeCall(url, { roomId, platform: counted.platform, statsIntervalMs: 0 })
    calls.push(call)
    return { call, counted }
  }

  /** Every call is connected to every other one, each pair over its own open connection. */
  async function meshUp(members: { call: CallActor }[]) {
    const others = members.length - 1
    await until(
      () =>
        members.every(({ call }) => {
          const { peers, status } = api(call)
          return (
            status === 'connected' &&
            peers.length === others &&
            peers.every((peer) => peer.status === 'connected')
          )
        }),
      20_000,
      `a mesh of ${members.length}`,
    )
  }

  /** Sends from every member to every other, and waits for each to arrive, by sender. */
  async function everyoneHearsEveryone(members: { call: CallActor }[], tag: string) {
    const heard = members.map(() => new Set<string>())
    const offs = members.map(({ call }, index) =>
      call.on('message', ({ data }) => {
        if (typeof data === 'string' && data.startsWith(tag)) heard[index]?.add(data)
      }),
    )
    try {
      for (const [index, { call }] of members.entries()) api(call).send(`${tag}:${index}`)
      await until(
        () => heard.every((set) => set.size === members.length - 1),
        10_000,
        `${tag} heard by everyone`,
      )
    } finally {
      for (const off of offs) off.unsubscribe()
    }
  }

  it('should connect four peers joining one after another, each pair with one deterministic polite side', async () => {
    const members = [0, 1, 2, 3].map(() => member('group-seq'))
    for (const { call } of members) {
      api(call).join()
      await reach(call, 'ready')
    }
    await meshUp(members)

    const ids = members.map(({ call }) => api(call).peerId ?? '')
    for (const { call } of members) {
      const self = api(call).peerId ?? ''
      const peers = api(call).peers
      // Join order, as every member saw the others arrive (the server's order).
      expect(peers.map((peer) => peer.peerId)).toEqual(ids.filter((id) => id !== self))
      for (const peer of peers) expect(peer.polite).toBe(self < peer.peerId)
    }
    // Each pair agrees: exactly one of its two sides yields.
    for (const { call: a } of members) {
      for (const { call: b } of members) {
        if (a === b) continue
        const ab = api(a).peers.find((peer) => peer.peerId === api(b).peerId)
        const ba = api(b).peers.find((peer) => peer.peerId === api(a).peerId)
        expect(ab?.polite).not.toBe(ba?.polite)
      }
    }
    // One live connection per remote peer, no more (spares taken or closed).
    for (const { counted } of members) expect(counted.live()).toHaveLength(3)
    await everyoneHearsEveryone(members, 'hello')
  }, 60_000)

  it('should reach one peer only when send names it, and every peer otherwise', async () => {
    const members = [0, 1, 2].map(() => member('group-to'))
    for (const { call } of members) {
      api(call).join()
      await reach(call, 'ready')
    }
    await meshUp(members)
    const [a, b, c] = members.map(({ call }) => call) as [CallActor, CallActor, CallActor]
    const atB: unknown[] = []
    const atC: unknown[] = []
    b.on('message', ({ data }) => atB.push(data))
    c.on('message', ({ data }) => atC.push(data))
    api(a).send('just for b', api(b).peerId ?? '')
    api(a).send('for all')
    await until(() => atB.length === 2 && atC.length === 1, 5000, 'both messages')
    expect(atB).toEqual(['just for b', 'for all'])
    expect(atC).toEqual(['for all'])
  }, 60_000)

  it('should keep the other connections untouched when one peer leaves and another rejoins', async () => {
    const members = [0, 1, 2, 3].map(() => member('group-leave'))
    for (const { call } of members) {
      api(call).join()
      await reach(call, 'ready')
    }
    await meshUp(members)
    const stay = members.slice(0, 3)
    const before = stay.map(({ counted }) => ({
      offers: counted.offers.count,
      connections: counted.made.length,
      pcs: counted.live().slice(),
    }))

    members[3]?.call.stop()
    await until(
      () => stay.every(({ call }) => api(call).peers.length === 2),
      10_000,
      'the leave seen by all',
    )
    // Same connections, no new offer among the three that stayed.
    for (const [index, { counted, call }] of stay.entries()) {
      expect(counted.offers.count).toBe(before[index]?.offers)
      expect(counted.made.length).toBe(before[index]?.connections)
      expect(api(call).status).toBe('connected')
      for (const pc of counted.live()) expect(before[index]?.pcs).toContain(pc)
    }
    await everyoneHearsEveryone(stay, 'after-leave')

    // A fifth call takes the free place: it connects to all, the three add one connection each.
    const late = member('group-leave')
    api(late.call).join()
    const now = [...stay, late]
    await meshUp(now)
    for (const [index, { counted }] of stay.entries()) {
      expect(counted.made.length).toBeLessThanOrEqual((before[index]?.connections ?? 0) + 2)
      const kept = before[index]?.pcs.filter((pc) => pc.connectionState === 'connected')
      expect(kept).toHaveLength(2)
    }
    await everyoneHearsEveryone(now, 'after-rejoin')
  }, 60_000)

  it('should connect four peers that join at the same instant, 5 rounds', async () => {
    for (let round = 0; round < 5; round += 1) {
      const members = [0, 1, 2, 3].map(() => member(`group-race-${round}`))
      for (const { call } of members) api(call).join()
      await meshUp(members)
      await everyoneHearsEveryone(members, `race-${round}`)
      for (const { call } of members.splice(0)) call.stop()
    }
  }, 120_000)

  it('should refuse a fifth peer with ROOM_FULL naming the limit', async () => {
    const members = [0, 1, 2, 3].map(() => member('group-full'))
    for (const { call } of members) {
      api(call).join()
      await reach(call, 'ready')
    }
    const fifth = member('group-full')
    api(fifth.call).join()
    const failed = await reach(fifth.call, 'failed')
    expect(failed.context.error).toMatchObject({ code: 'ROOM_FULL' })
    expect(failed.context.error?.message).toContain('4')
  }, 30_000)
})
