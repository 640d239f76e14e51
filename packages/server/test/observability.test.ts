import { execFile } from 'node:child_process'
import { io, type Socket } from 'socket.io-client'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CLI, ensureBuilt, startCliNode } from './support/cliNode'
import { signingKey, startJwksServer } from './support/jwks'
import { startRedis } from './support/redisServer'

// #19: logs through pino (JSON lines, secrets redacted, pretty on a terminal) and /metrics
// through prom-client (the process's own metrics beside Duet's), as an operator runs the CLI.

const REDIS_PASSWORD = 'redis-password-never-in-a-log'
const API_KEY = 'jwks-api-key-never-in-a-log'
const RESUME_SECRET = 'resume-secret-of-at-least-32-bytes-never-logged'

const sample = (body: string, line: RegExp): number => {
  const match = new RegExp(`^${line.source} ([\\d.e+-]+)$`, 'm').exec(body)
  return match ? Number(match[1]) : Number.NaN
}

describe('duet-server logs and metrics (#19)', () => {
  const cleanups: (() => unknown)[] = []
  beforeAll(() => ensureBuilt(), 120_000)
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  it('should log JSON lines with the credentials of its URLs redacted, and serve metrics that move', async () => {
    const redis = await startRedis(['--requirepass', REDIS_PASSWORD])
    cleanups.push(() => redis.stop())
    const key = await signingKey('ES256')
    const jwks = await startJwksServer([key.jwk])
    cleanups.push(() => jwks.close())
    const node = await startCliNode(
      [
        '--redis',
        `redis://default:${REDIS_PASSWORD}@127.0.0.1:${redis.port}`,
        '--jwks-url',
        `${jwks.url}?api_key=${API_KEY}`,
        '--log-level',
        'debug',
      ],
      { DUET_RESUME_SECRET: RESUME_SECRET },
    )
    cleanups.push(() => node.child.stop())
    const before = await (await fetch(`${node.url}/metrics`)).text()

    const connect = (token: string): Socket => {
      const client = io(node.url, {
        forceNew: true,
        transports: ['websocket'],
        reconnection: false,
        auth: { token },
      })
      cleanups.push(() => client.disconnect())
      return client
    }
    const refused = connect('not-a-jwt-and-never-logged')
    await new Promise<void>((resolve) => refused.once('connect_error', () => resolve()))
    const token = await key.sign({ sub: 'alice', rooms: ['lobby'] })
    const alice = connect(token)
    expect(await alice.emitWithAck('room:join', { roomId: 'lobby' })).toMatchObject({ ok: true })

    const after = await (await fetch(`${node.url}/metrics`)).text()
    expect(sample(before, /duet_joins_total\{kind="new"\}/)).toBeNaN()
    expect(sample(after, /duet_joins_total\{kind="new"\}/)).toBe(1)
    expect(sample(after, /duet_sockets/)).toBe(1)
    expect(sample(after, /process_cpu_seconds_total/)).toBeGreaterThan(
      sample(before, /process_cpu_seconds_total/),
    )
    for (const name of [
      /process_resident_memory_bytes/,
      /nodejs_heap_size_used_bytes/,
      /nodejs_eventloop_lag_p99_seconds/,
    ])
      expect(sample(after, name)).toBeGreaterThan(0)
    expect(after).toContain('# TYPE nodejs_gc_duration_seconds histogram')

    await node.child.stop()
    const output = node.child.output()
    for (const secret of [REDIS_PASSWORD, API_KEY, RESUME_SECRET, token, 'not-a-jwt']) {
      expect(output).not.toContain(secret)
    }
    const entries = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
    const started = entries.find((entry) => entry.msg === 'started')
    expect(started).toMatchObject({
      level: 'info',
      time: expect.any(String),
      redis: `redis://default:[redacted]@127.0.0.1:${redis.port}`,
      jwksUrl: `${jwks.url}?api_key=[redacted]`,
      auth: 'jwks-url',
    })
    expect(entries.map((entry) => entry.msg)).toEqual(
      expect.arrayContaining(['token refused', 'peer joined', 'draining', 'drained']),
    )
  })

  it('should write readable lines instead of JSON on a terminal', async () => {
    // util-linux `script` runs the CLI on a pseudo-terminal, as a person starting it would.
    // Closing the terminal (script killed) hangs the CLI up, which ends it.
    const shell = `exec ${process.execPath} ${CLI} --port 0 --host 127.0.0.1`
    const child = execFile('/usr/bin/script', ['-qfec', shell, '/dev/null'], {
      env: { ...process.env, NO_COLOR: '1', TERM: 'dumb' },
    })
    let output = ''
    child.stdout?.on('data', (chunk) => (output += chunk))
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    cleanups.push(() => {
      child.kill('SIGKILL')
      return exited
    })
    const deadline = Date.now() + 10_000
    while (!/INFO.*started/.test(output) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(output).toMatch(/\[\d\d:\d\d:\d\d\.\d{3}\] INFO: started/)
    expect(output).not.toMatch(/^\{"level"/m)
  })
})
