import { ErrorCode, type JoinSuccess } from '@duet/core/protocol'
import { describe, expect, it } from 'vitest'
import type { SignalingServer } from '../src/serverTypes'
import { type Client, eventsOf, flush, next, request, useHarness } from './harness'
import { countOf } from './support/metricValue'

const candidate = (n: number) => ({
  type: 'candidate' as const,
  candidate: {
    candidate: `candidate:${n} 1 udp 1 127.0.0.1 ${9000 + n} typ host`,
    sdpMid: '0',
    sdpMLineIndex: 0,
  },
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until the server has noticed every disconnect: `count` sockets left connected. */
async function serverSees(server: SignalingServer, count: number): Promise<void> {
  const deadline = Date.now() + 2000
  while (server.io.of('/').sockets.size !== count) {
    if (Date.now() > deadline)
      throw new Error(`server still has ${server.io.of('/').sockets.size} sockets`)
    await sleep(5)
  }
}

/** Drops a client's connection the way a network does: the transport dies, no goodbye. */
function cutTransport(client: Client): void {
  client.io.engine.close()
}

const relay = (client: Client, to: string, n: number) =>
  client.emitWithAck('signal:send', { to, signal: candidate(n) })

const signalsOf = (client: Client) =>
  eventsOf(client, 'signal:receive').map(
    (message) => (message as { signal: ReturnType<typeof candidate> }).signal,
  )

describe('resume after a dropped connection', () => {
  const { start, connect, joined } = useHarness()

  /** Still in the room as the same peer: relays both ways work, nobody was told anything. */
  async function expectStillInRoom(
    a: Client,
    aJoin: JoinSuccess,
    b: { client: Client; join: JoinSuccess },
  ) {
    expect(await relay(a, b.join.peerId, 5)).toEqual({ ok: true })
    await flush(b.client)
    expect(eventsOf(b.client, 'signal:receive')).toMatchObject([{ from: aJoin.peerId }])
    expect(eventsOf(b.client, 'peer:left')).toEqual([])
  }

  /**
   * A peer in a room whose transport is cut while the other side relays candidates 2, 3 and 4
   * to it; returns once it has reconnected (with or without its Socket.io session).
   */
  async function cutWhileRelayed(server: SignalingServer, url: string) {
    const a = await connect(url, {
      reconnection: true,
      reconnectionDelay: 50,
      reconnectionDelayMax: 50,
    })
    const aJoin = (await a.emitWithAck('room:join', { roomId: 'lobby' })) as JoinSuccess
    const b = await joined(url, 'lobby')
    // A broadcast received gives the client an offset to recover from.
    expect(await relay(b.client, aJoin.peerId, 1)).toEqual({ ok: true })
    await flush(a)
    const idBefore = a.id
    const back = new Promise<void>((resolve) => a.once('connect', () => resolve()))
    cutTransport(a)
    await serverSees(server, 1)
    for (const n of [2, 3, 4]) expect(await relay(b.client, aJoin.peerId, n)).toEqual({ ok: true })
    await back
    return { a, aJoin, b, idBefore }
  }

  it('should recover the session when recovery is on: same socket and peer, and the relays sent meanwhile once, in order', async () => {
    const { server, url } = await start({ recoveryWindowMs: 30_000 })
    const { a, aJoin, b, idBefore } = await cutWhileRelayed(server, url)

    expect(a.recovered).toBe(true)
    expect(a.id).toBe(idBefore)
    await flush(a)
    expect(signalsOf(a)).toEqual([1, 2, 3, 4].map(candidate))
    await expectStillInRoom(a, aJoin, b)
    expect(await countOf(server.metrics.resumes, { via: 'recovery' })).toBe(1)
  })

  it('should keep no Socket.io session by default: the reconnected socket takes its place back with its token and gets the relays sent meanwhile', async () => {
    const { server, url } = await start()
    expect(server.io.of('/').adapter.constructor.name).toBe('Adapter')
    const { a, aJoin, b } = await cutWhileRelayed(server, url)

    // What @duet/core's client does when Socket.io did not restore the session.
    expect(a.recovered).toBeFalsy()
    const resume = { peerId: aJoin.peerId, token: aJoin.resumeToken }
    expect(await a.emitWithAck('room:join', { roomId: 'lobby', resume })).toMatchObject({
      ok: true,
      peerId: aJoin.peerId,
      peers: [{ peerId: b.join.peerId }],
    })
    await flush(a)
    expect(signalsOf(a)).toEqual([1, 2, 3, 4].map(candidate))
    await expectStillInRoom(a, aJoin, b)
    expect(await countOf(server.metrics.resumes, { via: 'token' })).toBe(1)
  })

  it('should give the place back to a new socket with a valid resume token, then the kept relays once, in order', async () => {
    const { server, url } = await start()
    const a = await joined(url, 'lobby')
    const b = await joined(url, 'lobby')
    cutTransport(a.client)
    await serverSees(server, 1)
    for (const n of [1, 2, 3]) expect(await relay(b.client, a.join.peerId, n)).toEqual({ ok: true })

    const again = await connect(url)
    const resume = { peerId: a.join.peerId, token: a.join.resumeToken }
    const result = await again.emitWithAck('room:join', { roomId: 'lobby', resume })
    expect(result).toMatchObject({
      ok: true,
      peerId: a.join.peerId,
      peers: [{ peerId: b.join.peerId }],
    })
    await flush(again)
    expect(signalsOf(again)).toEqual([1, 2, 3].map(candidate))
    expect(await relay(b.client, a.join.peerId, 4)).toEqual({ ok: true })
    await flush(again)
    expect(signalsOf(again)).toEqual([1, 2, 3, 4].map(candidate))
    await flush(b.client)
    expect(eventsOf(b.client, 'peer:left')).toEqual([])
    expect(eventsOf(b.client, 'peer:joined')).toEqual([])
    expect(await countOf(server.metrics.resumes, { via: 'token' })).toBe(1)
  })

  it('should refuse a place its old connection still holds with PLACE_IN_USE, and hand it over once that one is gone', async () => {
    const { server, url } = await start()
    const a = await joined(url, 'lobby')
    const b = await joined(url, 'lobby')
    const again = await connect(url)
    const claim = { roomId: 'lobby', resume: { peerId: a.join.peerId, token: a.join.resumeToken } }
    // The server still sees the old connection open (a half-open one looks the same): no takeover.
    expect(await request(again, 'room:join', claim)).toMatchObject({
      ok: false,
      error: { code: ErrorCode.PLACE_IN_USE },
    })
    expect(a.client.connected).toBe(true)
    cutTransport(a.client)
    await serverSees(server, 2)
    expect(await again.emitWithAck('room:join', claim)).toMatchObject({
      ok: true,
      peerId: a.join.peerId,
    })
    expect(await relay(b.client, a.join.peerId, 1)).toEqual({ ok: true })
    await flush(again)
    expect(signalsOf(again)).toEqual([candidate(1)])
    await flush(b.client)
    expect(eventsOf(b.client, 'peer:left')).toEqual([])
  })

  it('should tell the room peer:away at once with when the place is freed, then peer:back when it resumes', async () => {
    const { server, url } = await start({ resumeWindowMs: 10_000 })
    const a = await joined(url, 'lobby')
    const b = await joined(url, 'lobby')
    const away = next(b.client, 'peer:away')
    const cutAt = Date.now()
    cutTransport(a.client)
    const notice = await away
    expect(notice.peerId).toBe(a.join.peerId)
    // The window is 10 s: the place is held about that long from the drop, not a moment less.
    expect(notice.heldUntil).toBeGreaterThanOrEqual(cutAt + 10_000)
    expect(notice.heldUntil).toBeLessThan(Date.now() + 10_000 + 1000)

    const backNotice = next(b.client, 'peer:back')
    const again = await connect(url)
    const resume = { peerId: a.join.peerId, token: a.join.resumeToken }
    expect(await again.emitWithAck('room:join', { roomId: 'lobby', resume })).toMatchObject({
      ok: true,
      peerId: a.join.peerId,
    })
    expect(await backNotice).toEqual({ peerId: a.join.peerId })
    await serverSees(server, 2)
    // The one who came back is not told about itself.
    await flush(again)
    expect(eventsOf(again, 'peer:back')).toEqual([])
  })

  it('should not call a peer that hung up away', async () => {
    const { url } = await start()
    const a = await joined(url, 'lobby')
    const b = await joined(url, 'lobby')
    const left = next(b.client, 'peer:left')
    a.client.disconnect()
    expect(await left).toEqual({ peerId: a.join.peerId, reason: 'left' })
    await flush(b.client)
    expect(eventsOf(b.client, 'peer:away')).toEqual([])
  })

  it('should refuse a forged or misplaced resume token with UNAUTHORIZED and change nothing', async () => {
    const { url } = await start()
    const a = await joined(url, 'lobby')
    const intruder = await connect(url)
    const forged = {
      roomId: 'lobby',
      resume: { peerId: a.join.peerId, token: `9999999999.${a.client.id}.${'x'.repeat(43)}` },
    }
    const unauthorized = {
      ok: false,
      error: { code: ErrorCode.UNAUTHORIZED, message: expect.any(String) },
    }
    expect(await request(intruder, 'room:join', forged)).toEqual(unauthorized)
    const elsewhere = {
      roomId: 'other',
      resume: { peerId: a.join.peerId, token: a.join.resumeToken },
    }
    expect(await request(intruder, 'room:join', elsewhere)).toEqual(unauthorized)
    expect(await relay(a.client, a.join.peerId, 1)).toMatchObject({ ok: false })
    expect(a.client.connected).toBe(true)
  })

  it('should free the place and tell the room peer:left once the window ran out, not before', async () => {
    const { server, url } = await start({ resumeWindowMs: 300 })
    const a = await joined(url, 'lobby')
    const b = await joined(url, 'lobby')
    const left = next(b.client, 'peer:left')
    cutTransport(a.client)
    await serverSees(server, 1)
    await sleep(150)
    await flush(b.client)
    expect(eventsOf(b.client, 'peer:left')).toEqual([])
    expect(await left).toEqual({ peerId: a.join.peerId, reason: 'expired' })
    expect(await countOf(server.metrics.expired)).toBe(1)

    // Too late: the claim gets a fresh place under a new peer id, announced as a newcomer.
    const again = await connect(url)
    const joinedAgain = next(b.client, 'peer:joined')
    const resume = { peerId: a.join.peerId, token: a.join.resumeToken }
    const result = await again.emitWithAck('room:join', { roomId: 'lobby', resume })
    expect(result).toMatchObject({ ok: true, peers: [{ peerId: b.join.peerId }] })
    if (!result.ok) return
    expect(result.peerId).not.toBe(a.join.peerId)
    expect(await joinedAgain).toEqual({ peerId: result.peerId })
  })

  it('should keep the place of a peer that is away, so the room stays full', async () => {
    const { server, url } = await start()
    const a = await joined(url, 'lobby')
    await joined(url, 'lobby')
    cutTransport(a.client)
    await serverSees(server, 1)
    const late = await connect(url)
    expect(await late.emitWithAck('room:join', { roomId: 'lobby' })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.ROOM_FULL },
    })
  })

  it('should refuse relays to an away peer whose mailbox is full with MAILBOX_FULL', async () => {
    const { server, url } = await start({ rateLimit: false })
    const a = await joined(url, 'lobby')
    const b = await joined(url, 'lobby')
    cutTransport(a.client)
    await serverSees(server, 1)
    const results = await Promise.all(
      Array.from({ length: 257 }, (_, n) => relay(b.client, a.join.peerId, n)),
    )
    expect(results.slice(0, 256).every((result) => result.ok)).toBe(true)
    expect(results[256]).toMatchObject({ ok: false, error: { code: ErrorCode.MAILBOX_FULL } })
  })

  it('should free places at once with a resume window of 0', async () => {
    const { server, url } = await start({ resumeWindowMs: 0 })
    const a = await joined(url, 'lobby')
    const b = await joined(url, 'lobby')
    const left = next(b.client, 'peer:left')
    cutTransport(a.client)
    expect(await left).toEqual({ peerId: a.join.peerId, reason: 'left' })
    // Nothing to recover either: without a window, Socket.io keeps no sessions.
    expect(server.io.of('/').adapter.constructor.name).toBe('Adapter')
  })
})
