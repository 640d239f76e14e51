import { ErrorCode } from '@duet/core/protocol'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createTokenBucket } from '../src/requests/rateLimit'
import { eventsOf, expectNothingReceived, flush, request, useHarness } from './harness'
import { countOf } from './support/metricValue'

/** Opens a raw WebSocket handshake with an Origin header; resolves with the HTTP outcome. */
function upgrade(url: string, origin?: string): Promise<'open' | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(
      `${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`,
      {
        ...(origin ? { origin } : {}),
      },
    )
    socket.once('open', () => {
      socket.close()
      resolve('open')
    })
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0)
      socket.terminate()
    })
    socket.once('error', () => {})
  })
}

describe('createTokenBucket', () => {
  it('should allow the burst at once, then refill at the rate', () => {
    let now = 0
    const take = createTokenBucket({ perSecond: 10, burst: 3 }, () => now)
    expect([take(), take(), take(), take()]).toEqual([true, true, true, false])
    now += 100
    expect([take(), take()]).toEqual([true, false])
    now += 10_000
    expect(Array.from({ length: 4 }, take)).toEqual([true, true, true, false])
  })
})

describe('rate limit', () => {
  const { start, connect, joined } = useHarness()

  it('should answer RATE_LIMITED beyond the burst and let nothing else happen', async () => {
    const { server, url } = await start({ rateLimit: { perSecond: 1, burst: 3 } })
    const a = await joined(url, 'lobby')
    const b = await connect(url)
    const results = await Promise.all([
      request(b, 'signal:send', null),
      request(b, 'signal:send', null),
      request(b, 'signal:send', null),
      request(b, 'room:join', { roomId: 'lobby' }),
    ])
    expect(results.slice(0, 3)).toMatchObject(
      Array(3).fill({ ok: false, error: { code: ErrorCode.INVALID_PAYLOAD } }),
    )
    expect(results[3]).toEqual({
      ok: false,
      error: { code: ErrorCode.RATE_LIMITED, message: expect.any(String) },
    })
    // The refused join took no place and announced nothing.
    await expectNothingReceived(a.client)
    expect(await countOf(server.metrics.errors, { code: ErrorCode.RATE_LIMITED })).toBe(1)
  })

  it('should let a call start through with the defaults: a join, an offer and 35 candidates at once', async () => {
    const { url } = await start()
    const a = await joined(url, 'lobby')
    const b = await connect(url)
    const join = await b.emitWithAck('room:join', { roomId: 'lobby' })
    if (!join.ok) throw new Error('join failed')
    const to = a.join.peerId
    const sends = [
      b.emitWithAck('signal:send', { to, signal: { type: 'offer', sdp: 'v=0' } }),
      ...Array.from({ length: 35 }, (_, n) =>
        b.emitWithAck('signal:send', {
          to,
          signal: {
            type: 'candidate',
            candidate: { candidate: `candidate:${n}`, sdpMid: '0', sdpMLineIndex: 0 },
          },
        }),
      ),
    ]
    expect((await Promise.all(sends)).every((result) => result.ok)).toBe(true)
    await flush(a.client)
    expect(eventsOf(a.client, 'signal:receive')).toHaveLength(36)
  })
})

describe('origin check', () => {
  const { start } = useHarness()

  it('should refuse WebSocket upgrades from origins outside corsOrigin, allow listed ones and non-browsers', async () => {
    const { url } = await start({ corsOrigin: ['https://app.example'] })
    // engine.io answers a refused upgrade with 400 Bad Request.
    expect(await upgrade(url, 'https://evil.example')).toBe(400)
    expect(await upgrade(url, 'https://app.example')).toBe('open')
    expect(await upgrade(url)).toBe('open')
  })

  it('should allow any origin by default', async () => {
    const { url } = await start()
    expect(await upgrade(url, 'https://anywhere.example')).toBe('open')
  })
})

// fix #13 (finding 4): limits were per socket only; one address opened 300 sockets.
describe('limits per address and per node', () => {
  const { start, connect } = useHarness()
  const from = (address: string) => ({ extraHeaders: { 'x-forwarded-for': address } })

  it('should refuse connections past maxConnectionsPerIp, counting the address a trusted proxy names', async () => {
    const { server, url } = await start({ maxConnectionsPerIp: 2, trustProxy: ['127.0.0.1'] })
    await connect(url, from('192.0.2.1'))
    await connect(url, from('192.0.2.1'))
    await expect(connect(url, from('192.0.2.1'))).rejects.toThrow()
    await connect(url, from('192.0.2.2'))
    const refused = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, {
      headers: { 'x-forwarded-for': '192.0.2.1' },
    })
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain(ErrorCode.TOO_MANY_CONNECTIONS)
    expect(
      await countOf(server.metrics.limited, { limit: 'connections-per-ip' }),
    ).toBeGreaterThanOrEqual(2)
  })

  it('should not believe X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const { url } = await start({ maxConnectionsPerIp: 1 })
    await connect(url, from('192.0.2.1'))
    await expect(connect(url, from('192.0.2.2'))).rejects.toThrow()
  })

  it('should refuse connections past maxConnections, whoever they come from', async () => {
    const { server, url } = await start({ maxConnections: 2, trustProxy: ['127.0.0.1'] })
    await connect(url, from('192.0.2.1'))
    await connect(url, from('192.0.2.2'))
    await expect(connect(url, from('192.0.2.3'))).rejects.toThrow()
    expect(await countOf(server.metrics.limited, { limit: 'connections' })).toBe(1)
  })

  it('should answer RATE_LIMITED past the joins of one address, all its sockets together', async () => {
    const { url } = await start({ joinRatePerIp: { perSecond: 1, burst: 2 } })
    const sockets = await Promise.all([connect(url), connect(url), connect(url)])
    const results: unknown[] = []
    for (const [i, socket] of sockets.entries()) {
      results.push(await request(socket, 'room:join', { roomId: `room-${i}` }))
    }
    expect(results).toMatchObject([
      { ok: true },
      { ok: true },
      { ok: false, error: { code: ErrorCode.RATE_LIMITED } },
    ])
  })

  it('should answer RATE_LIMITED past the requests of one address, all its sockets together', async () => {
    const { url } = await start({ rateLimitPerIp: { perSecond: 1, burst: 4 } })
    const [a, b] = await Promise.all([connect(url), connect(url)])
    const results = (await Promise.all(
      [a, b, a, b, a, b].map((socket) => request(socket, 'room:leave')),
    )) as { error: { code: string } }[]
    // Whichever socket's requests arrive first, the address has four in all.
    expect(results.map((result) => result.error.code).sort()).toEqual([
      ...Array(4).fill(ErrorCode.NOT_IN_ROOM),
      ...Array(2).fill(ErrorCode.RATE_LIMITED),
    ])
  })
})
