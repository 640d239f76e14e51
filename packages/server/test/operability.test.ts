import { createServer } from 'node:http'
import { pino } from 'pino'
import { io } from 'socket.io-client'
import { describe, expect, it, vi } from 'vitest'
import { createSignalingServer } from '../src/createSignalingServer'
import { createJsonLogger } from '../src/ops/jsonLogger'
import { fromPino, type Logger, silentLogger } from '../src/ops/logger'
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
      expect(line).toMatch(/^[a-z_\d]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [\d.e+-]+$/)
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

describe('process metrics', () => {
  const { start } = useHarness()

  it('should serve CPU, memory, event-loop lag and GC beside the duet_* metrics, moving between scrapes', async () => {
    const { url } = await start()
    const sample = (body: string, name: string): number => {
      const match = new RegExp(`^${name} ([\\d.e+-]+)$`, 'm').exec(body)
      if (!match) throw new Error(`${name} missing from /metrics`)
      return Number(match[1])
    }
    const first = (await get(`${url}/metrics`)).body
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_p99_seconds',
    ])
      expect(sample(first, name)).toBeGreaterThanOrEqual(0)
    expect(first).toContain('# TYPE nodejs_gc_duration_seconds histogram')
    expect(first).toContain('# TYPE duet_joins_total counter')
    // Some work between two scrapes: the CPU counter goes up.
    let spin = 0
    for (let index = 0; index < 2_000_000; index++) spin += index % 7
    expect(spin).toBeGreaterThan(0)
    const second = (await get(`${url}/metrics`)).body
    expect(sample(second, 'process_cpu_seconds_total')).toBeGreaterThan(
      sample(first, 'process_cpu_seconds_total'),
    )
  })

  it('should keep two servers in one process apart in duet_* and share the process metrics', async () => {
    const one = await start()
    const two = await start()
    await joinedOnce(one.url)
    const [a, b] = await Promise.all([get(`${one.url}/metrics`), get(`${two.url}/metrics`)])
    expect(a.body).toContain('duet_joins_total{kind="new"} 1\n')
    expect(b.body).not.toContain('duet_joins_total{kind="new"}')
    expect(b.body).toContain('process_cpu_seconds_total')
  })

  async function joinedOnce(url: string): Promise<void> {
    const client = io(url, { forceNew: true, transports: ['websocket'], reconnection: false })
    try {
      expect(await client.emitWithAck('room:join', { roomId: 'lobby' })).toMatchObject({ ok: true })
    } finally {
      client.disconnect()
    }
  }
})

describe('log redaction', () => {
  const write = () => {
    const lines: string[] = []
    return { lines, sink: { write: (line: string) => lines.push(line) } }
  }

  it('should redact secret fields at any depth pino reaches, and credentials inside URLs', () => {
    const { lines, sink } = write()
    const logger = createJsonLogger(sink, 'debug')
    logger.info('connecting', {
      redis: 'redis://default:hunter2@redis.internal:6379/0',
      jwks: 'https://idp.example/jwks?api_key=abc123&tenant=acme',
      token: 'eyJhbGciOi.secret.token',
      handshake: { auth: { token: 'eyJ-second' }, headers: { authorization: 'Bearer xyz' } },
      error: new Error('connect failed to redis://:pw-in-error@10.0.0.5:6379'),
    })
    const text = lines.join('')
    for (const secret of ['hunter2', 'abc123', 'eyJ', 'xyz', 'pw-in-error']) {
      expect(text).not.toContain(secret)
    }
    const entry = JSON.parse(lines[0]!)
    expect(entry).toMatchObject({
      redis: 'redis://default:[redacted]@redis.internal:6379/0',
      jwks: 'https://idp.example/jwks?api_key=[redacted]&tenant=acme',
      token: '[redacted]',
      handshake: { auth: { token: '[redacted]' }, headers: { authorization: '[redacted]' } },
      error: { name: 'Error', message: 'connect failed to redis://:[redacted]@10.0.0.5:6379' },
    })
  })

  it('should hand entries to a pino logger of the application through fromPino', () => {
    const lines: string[] = []
    const app = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) })
    const logger = fromPino(app)
    logger.info('dropped below warn')
    logger.warn('slow reader cut', { waiting: 3 })
    expect(logger.enabled?.('debug')).toBe(false)
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 40, msg: 'slow reader cut', waiting: 3 }),
    ])
  })
})
