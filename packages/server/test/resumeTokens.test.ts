import { ErrorCode, type JoinSuccess } from '@duet/core/protocol'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SignalingServer } from '../src/serverTypes'
import { type Client, eventsOf, flush, request, useHarness } from './harness'
import { type RedisProcess, startRedis } from './support/redisServer'

// Regression tests for #13, finding 5: resume tokens were bearer secrets without expiry,
// reissued identically, not bound to the token subject, and took over live places.

const JWT_SECRET = 'a-shared-secret-of-at-least-32-bytes!'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const tokenOf = (sub: string) =>
  new SignJWT({ rooms: '*' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(JWT_SECRET))

/** Waits until the server has noticed every disconnect: `count` sockets left connected. */
async function serverSees(server: SignalingServer, count: number): Promise<void> {
  const deadline = Date.now() + 2000
  while (server.io.of('/').sockets.size !== count) {
    if (Date.now() > deadline) throw new Error('server did not notice the disconnect')
    await sleep(5)
  }
}

const unauthorized = {
  ok: false,
  error: { code: ErrorCode.UNAUTHORIZED, message: expect.any(String) },
}

describe('resume tokens (#13)', () => {
  const { start, connect, joined } = useHarness()

  /** Joins `lobby` and returns the client with its join result. */
  async function joinLobby(url: string, auth?: { token: string }): Promise<[Client, JoinSuccess]> {
    const client = await connect(url, auth ? { auth } : {})
    const join = (await client.emitWithAck('room:join', { roomId: 'lobby' })) as JoinSuccess
    expect(join.ok).toBe(true)
    return [client, join]
  }

  const claim = (join: JoinSuccess, token = join.resumeToken) => ({
    roomId: 'lobby',
    resume: { peerId: join.peerId, token },
  })

  it('should not hand over a place whose owner is still connected: PLACE_IN_USE, owner untouched', async () => {
    const { url } = await start()
    const [owner, ownerJoin] = await joinLobby(url)
    const b = await joined(url, 'lobby')
    const thief = await connect(url)
    expect(await request(thief, 'room:join', claim(ownerJoin))).toEqual({
      ok: false,
      error: { code: ErrorCode.PLACE_IN_USE, message: expect.any(String) },
    })
    expect(owner.connected).toBe(true)
    const signal = { type: 'candidate', candidate: null }
    expect(
      await b.client.emitWithAck('signal:send', { to: ownerJoin.peerId, signal } as never),
    ).toEqual({
      ok: true,
    })
    await flush(owner)
    expect(eventsOf(owner, 'signal:receive')).toEqual([{ from: b.join.peerId, signal }])
    await flush(thief)
    expect(eventsOf(thief, 'signal:receive')).toEqual([])
  })

  it('should take each token once: a resume rotates it, and the used one is refused', async () => {
    const { server, url } = await start()
    const [owner, ownerJoin] = await joinLobby(url)
    await joined(url, 'lobby')
    // Away the way a network drop does it (a deliberate disconnect would free the place).
    owner.io.engine.close()
    await serverSees(server, 1)
    const second = await connect(url)
    const resumed = (await second.emitWithAck('room:join', claim(ownerJoin))) as JoinSuccess
    expect(resumed).toMatchObject({ ok: true, peerId: ownerJoin.peerId })
    expect(resumed.resumeToken).not.toBe(ownerJoin.resumeToken)
    second.io.engine.close()
    await serverSees(server, 1)
    const replay = await connect(url)
    expect(await request(replay, 'room:join', claim(ownerJoin))).toEqual(unauthorized)
    expect(await request(replay, 'room:join', claim(ownerJoin, resumed.resumeToken))).toMatchObject(
      {
        ok: true,
        peerId: ownerJoin.peerId,
      },
    )
  })

  it('should let only the same subject resume', async () => {
    const { server, url } = await start({ jwtSecret: JWT_SECRET })
    const [ann, annJoin] = await joinLobby(url, { token: await tokenOf('ann') })
    ann.io.engine.close()
    await serverSees(server, 0)
    const eve = await connect(url, { auth: { token: await tokenOf('eve') } })
    expect(await request(eve, 'room:join', claim(annJoin))).toEqual(unauthorized)
    const annAgain = await connect(url, { auth: { token: await tokenOf('ann') } })
    expect(await request(annAgain, 'room:join', claim(annJoin))).toMatchObject({
      ok: true,
      peerId: annJoin.peerId,
    })
  })

  it('should refuse a token past its lifetime', async () => {
    const { server, url } = await start({ resumeTokenTtlMs: 1000 })
    const [owner, join] = await joinLobby(url)
    owner.io.engine.close()
    await serverSees(server, 0)
    await sleep(2100)
    const again = await connect(url)
    expect(await request(again, 'room:join', claim(join))).toEqual(unauthorized)
  })
})

describe('resume tokens across nodes sharing a Redis (#13)', () => {
  const { start, connect } = useHarness()
  let redis: RedisProcess
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(async () => {
    await redis?.stop()
  })

  it('should refuse a takeover on one node of a place whose owner is connected to another', async () => {
    const common = { redis: redis.url, resumeSecret: 'shared-resume-secret-of-32-bytes-or-more' }
    const [one, two] = await Promise.all([start(common), start(common)])
    const owner = await connect(one.url)
    const join = (await owner.emitWithAck('room:join', { roomId: 'nodes' })) as JoinSuccess
    const thief = await connect(two.url)
    const claim = { roomId: 'nodes', resume: { peerId: join.peerId, token: join.resumeToken } }
    expect(await request(thief, 'room:join', claim)).toMatchObject({
      ok: false,
      error: { code: ErrorCode.PLACE_IN_USE },
    })
    expect(owner.connected).toBe(true)
    // Once its owner is gone, the same token moves the place to the other node, once.
    owner.io.engine.close()
    await serverSees(one.server, 0)
    expect(await request(thief, 'room:join', claim)).toMatchObject({
      ok: true,
      peerId: join.peerId,
    })
  })
})
