import { createServer } from 'node:http'
import { io } from 'socket.io-client'
import { describe, expect, it, vi } from 'vitest'
import { createSignalingServer } from '../src/createSignalingServer'
import { createJsonLogger, type Logger, silentLogger } from '../src/ops/logger'
import { Counter, Histogram } from '../src/ops/metrics'
import { flush, useHarness } from './harness'

const get = async (url: string) => {
  const response = await fetch(url)
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: await response.text(),
  }
}

describe('operational endpoints', () => {
  const { start, track, joined } = useHarness()

  it('should answer /healthz and /readyz with 200 while serving, and 404 elsewhere', async () => {
    const { url } = await start()
    expect(await get(`${url}/healthz`)).toMatchObject({ status: 200, body: 'ok\n' })
    expect(await get(`${url}/readyz`)).toMatchObject({ status: 200, body: 'ready\n' })
    expect((await get(`${url}/nope`)).status).toBe(404)
    expect((await fetch(`${url}/healthz`, { method: 'POST' })).status).toBe(405)
  })

  it('should expose Prometheus metrics: sockets, rooms, joins, relays, errors by code, relay latency', async () => {
    const { url } = await start()
    const a = await joined(url, 'lobby')
    const b = await joined(url, 'lobby')
    await b.client.emitWithAck('signal:send', {
      to: a.join.peerId,
      signal: { type: 'offer', sdp: 'v=0' },
    })
    await flush(b.client)
    const { status, type, body } = await get(`${url}/metrics`)
    expect(status).toBe(200)
    expect(type).toBe('text/plain; version=0.0.4; charset=utf-8')
    expect(body).toContain('# TYPE duet_sockets gauge\nduet_sockets 2\n')
    expect(body).toContain('duet_rooms 1\n')
    expect(body).toContain('duet_peers 2\n')
    expect(body).toContain('duet_joins_total{kind="new"} 2\n')
    expect(body).toContain('duet_relays_total 1\n')
    expect(body).toContain('duet_errors_total{code="INVALID_PAYLOAD"} 1\n')
    expect(body).toContain('# TYPE duet_relay_duration_seconds histogram\n')
    expect(body).toMatch(/duet_relay_duration_seconds_bucket\{le="\+Inf"\} 1\n/)
    expect(body).toContain('duet_relay_duration_seconds_count 1\n')
    expect(body).toContain('duet_draining 0\n')
    // Every sample line is "name{labels} value".
    for (const line of body.split('\n').filter((line) => line && !line.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_]+(\{[a-z]+="[^"]*"(,[a-z]+="[^"]*")*\})? [\d.e+-]+$/)
    }
  })

  it('should leave an attached server\u2019s requests to it and offer handleRequest for the endpoints', async () => {
    let signaling: ReturnType<typeof createSignalingServer> | undefined
    const httpServer = createServer((request, response) => {
      if (signaling?.handleRequest(request, response)) return
      response.end('app')
    })
    signaling = track(createSignalingServer({ httpServer }))
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
    await signaling.ready
    const port = signaling.address()?.port
    expect((await get(`http://127.0.0.1:${port}/anything`)).body).toBe('app')
    expect((await get(`http://127.0.0.1:${port}/readyz`)).status).toBe(200)
  })
})

describe('drain', () => {
  const { start, connect, joined } = useHarness()

  it('should tell every client to reconnect, refuse new ones, fail readiness, then close', async () => {
    const { server, url } = await start()
    const a = await joined(url, 'lobby')
    const told = new Promise<void>((resolve) => a.client.once('server:draining', () => resolve()))
    const dropped = new Promise<string>((resolve) => a.client.once('disconnect', resolve))
    const readiness: number[] = []
    const draining = server.drain(500)
    readiness.push((await get(`${url}/readyz`).catch(() => ({ status: 0 }))).status)
    await told
    // A transport close, so the client reconnects on its own (to another node) and resumes.
    expect(await dropped).toBe('transport close')
    await expect(connect(url)).rejects.toThrow()
    await draining
    expect(readiness).toEqual([503])
    expect(server.httpServer.listening).toBe(false)
  })

  it('should finish within the timeout even when a client never goes', async () => {
    const { server, url } = await start()
    // Long-polling only: closing its transport leaves nothing to wait for but the timeout.
    const client = io(url, { forceNew: true, transports: ['polling'], reconnection: false })
    await new Promise<void>((resolve) => client.once('connect', () => resolve()))
    const started = Date.now()
    await server.drain(300)
    expect(Date.now() - started).toBeLessThan(2000)
    client.disconnect()
  })
})

describe('createJsonLogger', () => {
  it('should write one JSON object per line at or above its level, errors with their stack', () => {
    const lines: string[] = []
    const logger = createJsonLogger(
      { write: (line) => lines.push(line) },
      'info',
      () => new Date(0),
    )
    logger.debug('hidden')
    logger.info('peer joined', { roomId: 'lobby' })
    logger.error('boom', { error: new Error('bad') })
    expect(lines).toHaveLength(2)
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(
      true,
    )
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      level: 'info',
      msg: 'peer joined',
      roomId: 'lobby',
    })
    expect(JSON.parse(lines[1]!).error).toMatchObject({
      name: 'Error',
      message: 'bad',
      stack: expect.any(String),
    })
  })

  it('should write nothing when silent and survive circular context', () => {
    const lines: string[] = []
    createJsonLogger({ write: (line) => lines.push(line) }, 'silent').error('x')
    expect(lines).toEqual([])
    const circular: Record<string, unknown> = {}
    circular.self = circular
    createJsonLogger({ write: (line) => lines.push(line) }, 'debug').warn('odd', circular)
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', msg: 'odd' })
  })

  it('should say which levels it writes', () => {
    const logger = createJsonLogger({ write: () => {} }, 'info')
    expect(logger.enabled?.('debug')).toBe(false)
    expect(logger.enabled?.('info')).toBe(true)
    expect(logger.enabled?.('error')).toBe(true)
    expect(silentLogger.enabled?.('error')).toBe(false)
  })
})

describe('relay logging', () => {
  const { start, joined } = useHarness()

  const relayWith = async (logger: Logger) => {
    const { url } = await start({ logger })
    const a = await joined(url, 'lobby')
    const b = await joined(url, 'lobby')
    const signal = { type: 'offer' as const, sdp: 'v=0' }
    expect(await a.client.emitWithAck('signal:send', { to: b.join.peerId, signal })).toEqual({
      ok: true,
    })
  }

  it('should log every relay at debug for a logger that does not say which levels it writes', async () => {
    const logger: Logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() }
    await relayWith(logger)
    expect(logger.debug).toHaveBeenCalledWith(
      'signal relayed',
      expect.objectContaining({ to: expect.any(String) }),
    )
  })

  it('should not even build the relay entry for a logger above debug', async () => {
    const logger: Logger = {
      debug: vi.fn(),
      info: vi.fn(),
      warn: vi.fn(),
      error: vi.fn(),
      enabled: (level) => level !== 'debug',
    }
    await relayWith(logger)
    expect(logger.debug).not.toHaveBeenCalled()
    expect(logger.info).toHaveBeenCalled()
  })
})

describe('metrics', () => {
  it('should render histogram buckets cumulatively and counters with and without labels', () => {
    const histogram = new Histogram('h_seconds', 'help', [0.001, 0.01, 0.1])
    for (const value of [0.0005, 0.001, 0.005, 0.05, 2]) histogram.observe(value)
    const text = histogram.render()
    expect(text).toContain('h_seconds_bucket{le="0.001"} 2\n')
    expect(text).toContain('h_seconds_bucket{le="0.01"} 3\n')
    expect(text).toContain('h_seconds_bucket{le="0.1"} 4\n')
    expect(text).toContain('h_seconds_bucket{le="+Inf"} 5\n')
    expect(text).toContain('h_seconds_count 5\n')

    const plain = new Counter('c_total', 'help')
    expect(plain.render()).toContain('c_total 0\n')
    plain.inc()
    plain.inc({}, 2)
    expect(plain.get()).toBe(3)
    expect(plain.render()).toContain('c_total 3\n')
    const labelled = new Counter('l_total', 'help')
    labelled.inc({ code: 'A' })
    expect(labelled.render()).toBe(
      '# HELP l_total help\n# TYPE l_total counter\nl_total{code="A"} 1\n',
    )
  })
})
