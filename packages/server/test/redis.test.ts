import { createServer } from 'node:http'
import { ErrorCode, type JoinSuccess } from '@duet/core/protocol'
import { createClient } from '@redis/client'
import { describe, expect, it } from 'vitest'
import { optionsFromEnv } from '../src/config/cliConfig'
import { createSignalingServer } from '../src/createSignalingServer'
import { type Client, eventsOf, flush, next, useHarness } from './harness'
import { waitUntil } from './support/childProcess'
import { countOf } from './support/metricValue'
import { startRedis, useRedis } from './support/redisServer'
import { startRoundRobinProxy } from './support/roundRobinProxy'

const offer = { type: 'offer' as const, sdp: 'v=0' }

/** The signals a client received, in order. */
const signalsOf = (client: Client) =>
  eventsOf(client, 'signal:receive').map((message) => (message as { signal: unknown }).signal)

/** What the other side relays while a peer moves between nodes: every relay is accepted. */
async function relayMeanwhile(sender: Client, to: string) {
  const sent = [1, 2, 3].map((n) => ({ type: 'answer' as const, sdp: `v=${n}` }))
  for (const signal of sent) {
    expect(await sender.emitWithAck('signal:send', { to, signal })).toEqual({ ok: true })
  }
  return sent
}

/** Still the same peer, now served by node two: it relays, and the other side was told nothing. */
async function expectSamePeerServed(moved: Client, other: { client: Client; join: JoinSuccess }) {
  expect(await moved.emitWithAck('signal:send', { to: other.join.peerId, signal: offer })).toEqual({
    ok: true,
  })
  await flush(other.client)
  expect(eventsOf(other.client, 'peer:left')).toEqual([])
}

describe('several nodes sharing one Redis', () => {
  const { start, track, connect, joined } = useHarness()
  const redisUrl = useRedis()
  const secret = 'shared-resume-secret-of-32-bytes-or-more'

  type ServerNode = Awaited<ReturnType<typeof start>>

  /**
   * A peer on node one (through the proxy) that node one drains while the other side, on node
   * two, relays to it; returns once it has reconnected through the proxy to node two.
   */
  async function drainWhileRelayed(
    one: ServerNode,
    two: ServerNode,
    proxyUrl: string,
    roomId: string,
  ) {
    // First connection through the proxy lands on node one.
    const a = await connect(proxyUrl, {
      reconnection: true,
      reconnectionDelay: 50,
      reconnectionDelayMax: 100,
    })
    const aJoin = (await a.emitWithAck('room:join', { roomId })) as JoinSuccess
    const b = await joined(two.url, roomId)
    await b.client.emitWithAck('signal:send', { to: aJoin.peerId, signal: offer })
    await flush(a)
    const idBefore = a.id
    const draining = new Promise<void>((resolve) => a.once('server:draining', () => resolve()))
    const back = new Promise<void>((resolve) => a.io.once('reconnect', () => resolve()))
    const drained = one.server.drain(1000)
    // Node one marked the place away before telling the client: relays from here on are kept.
    await draining
    const sent = await relayMeanwhile(b.client, aJoin.peerId)
    await back
    await drained
    return { a, aJoin, b, sent, idBefore }
  }

  const twoNodes = async (options: { resumeWindowMs?: number; recoveryWindowMs?: number } = {}) => {
    const common = { redis: redisUrl(), resumeSecret: secret, ...options }
    return Promise.all([start(common), start(common)])
  }

  it('should put peers on different nodes in one room and relay between them', async () => {
    const [one, two] = await twoNodes()
    const a = await joined(one.url, 'shared')
    const announced = next(a.client, 'peer:joined')
    const b = await joined(two.url, 'shared')
    expect(b.join.peers).toEqual([{ peerId: a.join.peerId }])
    expect(await announced).toEqual({ peerId: b.join.peerId })
    expect(await b.client.emitWithAck('signal:send', { to: a.join.peerId, signal: offer })).toEqual(
      { ok: true },
    )
    expect(await next(a.client, 'signal:receive')).toEqual({ from: b.join.peerId, signal: offer })
    const left = next(b.client, 'peer:left')
    await a.client.emitWithAck('room:leave')
    expect(await left).toEqual({ peerId: a.join.peerId, reason: 'left' })
    expect(await one.server.isReady()).toBe(true)
  })

  it('should serve one room from two servers of your own configured by optionsFromEnv, as the demo does', async () => {
    const env = { DUET_REDIS: redisUrl(), DUET_RESUME_SECRET: secret, DUET_LOG_LEVEL: 'silent' }
    const urls = await Promise.all(
      [0, 1].map(async () => {
        const httpServer = createServer((_request, response) => response.end('demo'))
        const signaling = track(createSignalingServer({ httpServer, ...optionsFromEnv(env) }))
        await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
        await signaling.ready
        return `http://127.0.0.1:${signaling.address()?.port}`
      }),
    )
    const a = await joined(urls[0]!, 'demo-room')
    const b = await joined(urls[1]!, 'demo-room')
    expect(b.join.peers).toEqual([{ peerId: a.join.peerId }])
  })

  it('should let exactly one of two joins racing on two nodes take the last place, every time', async () => {
    const [one, two] = await twoNodes()
    const rounds = 20
    const clients: Client[][] = await Promise.all(
      Array.from({ length: rounds }, () => Promise.all([connect(one.url), connect(two.url)])),
    )
    for (let round = 0; round < rounds; round++) {
      const room = `race-${round}`
      await joined(round % 2 ? one.url : two.url, room)
      const [x, y] = clients[round]!
      const results = await Promise.all([
        x!.emitWithAck('room:join', { roomId: room }),
        y!.emitWithAck('room:join', { roomId: room }),
      ])
      expect(results.filter((result) => result.ok)).toHaveLength(1)
      expect(results.find((result) => !result.ok)).toMatchObject({
        error: { code: ErrorCode.ROOM_FULL },
      })
    }
  })

  it('should let a peer drained off one node take its place back on another with its token, then get the relays sent meanwhile', async () => {
    const [one, two] = await twoNodes()
    const proxy = await startRoundRobinProxy([
      one.server.address()!.port,
      two.server.address()!.port,
    ])
    try {
      const { a, aJoin, b, sent } = await drainWhileRelayed(one, two, proxy.url, 'moving-token')
      // What @duet/core's client does when Socket.io did not restore the session.
      expect(a.recovered).toBeFalsy()
      const resume = { peerId: aJoin.peerId, token: aJoin.resumeToken }
      expect(await a.emitWithAck('room:join', { roomId: 'moving-token', resume })).toMatchObject({
        ok: true,
        peerId: aJoin.peerId,
        peers: [{ peerId: b.join.peerId }],
      })
      // Kept relays go out as broadcasts, which reach even a local socket through the stream.
      await waitUntil(() => eventsOf(a, 'signal:receive').length >= 4, 2000, 'kept relays')
      await flush(a)
      expect(signalsOf(a)).toEqual([offer, ...sent])
      await expectSamePeerServed(a, b)
      expect(await countOf(two.server.metrics.resumes, { via: 'token' })).toBe(1)
    } finally {
      await proxy.close()
    }
  })

  it('should let a peer drained off one node recover on another with the relays sent meanwhile, when recovery is on', async () => {
    const [one, two] = await twoNodes({ recoveryWindowMs: 30_000 })
    const proxy = await startRoundRobinProxy([
      one.server.address()!.port,
      two.server.address()!.port,
    ])
    try {
      const { a, b, sent, idBefore } = await drainWhileRelayed(one, two, proxy.url, 'moving')
      expect(a.recovered).toBe(true)
      expect(a.id).toBe(idBefore)
      await flush(a)
      expect(signalsOf(a)).toEqual([offer, ...sent])
      await expectSamePeerServed(a, b)
      expect(await countOf(two.server.metrics.resumes, { via: 'recovery' })).toBe(1)
    } finally {
      await proxy.close()
    }
  })

  it('should free the place of a peer whose node is gone, on another node, after the window', async () => {
    const [one, two] = await twoNodes({ resumeWindowMs: 300 })
    const a = await joined(one.url, 'orphan')
    const b = await joined(two.url, 'orphan')
    const left = next(b.client, 'peer:left')
    // Node one closes: its peer's place is held in Redis; node two's sweep frees it.
    await one.server.close()
    expect(await left).toEqual({ peerId: a.join.peerId, reason: 'expired' })
  })
})

describe('readiness without Redis', () => {
  const { start, joined } = useHarness()

  // fix #13 (finding 7): every /readyz sent Redis a PING.
  it('should answer many /readyz probes with one PING a second', async () => {
    const redis = await startRedis()
    const client = createClient({ url: redis.url })
    try {
      await client.connect()
      const { url } = await start({
        redis: redis.url,
        resumeSecret: 'shared-resume-secret-of-32-bytes-or-more',
      })
      const pings = async () =>
        Number(/cmdstat_ping:calls=(\d+)/.exec(await client.info('commandstats'))?.[1] ?? 0)
      const before = await pings()
      for (let i = 0; i < 20; i++) expect((await fetch(`${url}/readyz`)).status).toBe(200)
      expect((await pings()) - before).toBeLessThanOrEqual(2)
    } finally {
      await client.close()
      await redis.stop()
    }
  })

  it('should answer /readyz 503 once Redis is unreachable, and keep answering /healthz', async () => {
    const unhandled: unknown[] = []
    const record = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', record)
    const redis = await startRedis()
    try {
      const { server, url } = await start({
        redis: redis.url,
        resumeSecret: 'shared-resume-secret-of-32-bytes-or-more',
      })
      expect((await fetch(`${url}/readyz`)).status).toBe(200)
      await redis.child.kill()
      // The answer is cached for a second, so probes do not each cost a PING.
      await expect
        .poll(async () => (await fetch(`${url}/readyz`)).status, { timeout: 5000 })
        .toBe(503)
      expect((await fetch(`${url}/healthz`)).status).toBe(200)
      // Closing during the outage disconnects the adapter's stream and subscription clients,
      // whose pending commands then fail: none of it may surface unhandled.
      await server.close()
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', record)
      await redis.stop()
    }
  })

  // A Redis outage must never take a node down: the Streams adapter sends recovery sessions
  // (SET) and some broadcasts (PUBLISH) without awaiting them, and their failure used to reach
  // the process as an unhandled rejection, which ends a Node process by default.
  it('should keep running when Redis drops while a peer with a recovery session leaves', async () => {
    const unhandled: unknown[] = []
    const record = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', record)
    const redis = await startRedis()
    try {
      const { server, url } = await start({
        redis: redis.url,
        resumeSecret: 'shared-resume-secret-of-32-bytes-or-more',
        recoveryWindowMs: 30_000,
      })
      const a = await joined(url, 'outage')
      await redis.child.kill()
      // A dropped transport saves a recovery session: its SET waits for a Redis that is gone.
      a.client.io.reconnection(false)
      a.client.io.engine.close()
      await expect
        .poll(async () => (await fetch(`${url}/readyz`)).status, { timeout: 5000 })
        .toBe(503)
      expect((await fetch(`${url}/healthz`)).status).toBe(200)
      await server.close()
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', record)
      await redis.stop()
    }
  })
})
