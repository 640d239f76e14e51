import { type SignalingServer, signHs256 } from '@duet/server'
import { afterEach, describe, expect, it } from 'vitest'
import { createSocketSignaling, type SignalingNotice, type SignalingTransport } from '../src'
import { startHalfOpenProxy } from './support/halfOpenProxy'
import { startServer } from './support/nodePeers'

// #13: a connection lives only as long as its token; `getToken` lets a long call outlive
// short-lived tokens by refreshing before the server disconnects it.

const SECRET = 'a-shared-secret-of-at-least-32-bytes!'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A token the server considers valid for about `ms` more (its exp lies in the 30 s leeway). */
const shortToken = (ms: number) =>
  signHs256({ rooms: '*', sub: 'ann', exp: Math.floor(Date.now() / 1000) - 30 + ms / 1000 }, SECRET)

describe('signaling with expiring tokens (#13)', () => {
  let server: SignalingServer | undefined
  const transports: SignalingTransport[] = []
  afterEach(async () => {
    for (const transport of transports.splice(0)) transport.close()
    await server?.close()
  })

  it('should present a fresh token from getToken on connect and before the old one expires', async () => {
    const started = await startServer({ jwtSecret: SECRET })
    server = started.server
    let asked = 0
    const transport = createSocketSignaling(started.url, {
      getToken: async () => {
        asked += 1
        return shortToken(2000)
      },
    })
    transports.push(transport)
    const notices: SignalingNotice[] = []
    transport.subscribe((notice) => notices.push(notice))
    const joined = await transport.join('lobby')
    expect(joined.ok).toBe(true)
    // Past the first token's life and then some: each warning got a fresh token in time.
    await sleep(4500)
    expect(asked).toBeGreaterThanOrEqual(3)
    expect(notices.filter((notice) => notice.type === 'disconnected')).toEqual([])
    expect(server.io.of('/').sockets.size).toBe(1)
  }, 10_000)

  it('should be disconnected when it has no way to refresh its token', async () => {
    const started = await startServer({ jwtSecret: SECRET })
    server = started.server
    const transport = createSocketSignaling(started.url, {
      socket: { auth: { token: shortToken(1500) } },
    })
    transports.push(transport)
    const disconnected = new Promise<SignalingNotice>((resolve) =>
      transport.subscribe((notice) => {
        if (notice.type === 'disconnected') resolve(notice)
      }),
    )
    await transport.join('lobby')
    expect(await disconnected).toEqual({ type: 'disconnected', reason: 'io server disconnect' })
  }, 10_000)
})

describe('resume while the server still sees the old connection (#13)', () => {
  let server: SignalingServer | undefined
  const transports: SignalingTransport[] = []
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const transport of transports.splice(0)) transport.close()
    for (const cleanup of cleanups.splice(0)) await cleanup()
    await server?.close()
  })

  it('should retry a resume refused with PLACE_IN_USE until the old connection is gone, keeping its peer id', async () => {
    const started = await startServer()
    server = started.server
    const proxy = await startHalfOpenProxy(Number(new URL(started.url).port))
    cleanups.push(() => proxy.close())
    const fast = { reconnectionDelay: 50, reconnectionDelayMax: 100 }
    const a = createSocketSignaling(proxy.url, { socket: fast })
    const b = createSocketSignaling(started.url)
    transports.push(a, b)
    // What a reconnect ends in: back as the same peer, as a new one, or not at all.
    const outcomes: SignalingNotice[] = []
    const bNotices: SignalingNotice[] = []
    a.subscribe((notice) => {
      if (['reconnected', 'rejoined', 'rejoin-failed'].includes(notice.type)) outcomes.push(notice)
    })
    b.subscribe((notice) => bNotices.push(notice))
    const aJoin = await a.join('lobby')
    await b.join('lobby')

    proxy.strand()
    // Back through the proxy while the server still holds the old, silent connection.
    await sleep(2500)
    expect(outcomes).toEqual([])
    expect(server.io.of('/').sockets.size).toBe(3)
    proxy.release()
    const deadline = Date.now() + 5000
    while (outcomes.length === 0 && Date.now() < deadline) {
      await sleep(50)
    }
    expect(outcomes).toEqual([{ type: 'reconnected' }])
    expect(bNotices.filter((notice) => notice.type === 'peer-left')).toEqual([])
    const resumes = (await server.metrics.resumes.get()).values
    expect(resumes.find((series) => series.labels.via === 'token')?.value).toBe(1)
    await b.send(aJoin.peerId, { type: 'candidate', candidate: null })
  }, 15_000)
})
