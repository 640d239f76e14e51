import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { io } from 'socket.io-client'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSignalingServer } from '../src/createSignalingServer'
import { EXIT_USAGE, main } from '../src/run'
import { CLI, ensureBuilt } from './support/cliNode'
import { fakeProcess } from './support/fakeProcess'
import { freePort } from './support/freePort'

// Regression tests for #13, findings 3 and 7: open by default (every interface, any origin, no
// auth, /metrics public, TURN for anyone), --redis without --resume-secret starting silently,
// and secrets only as flags or variables.

const SECRET = 'a-shared-secret-of-at-least-32-bytes!'
// TEST-NET-1 (RFC 5737): not on this machine, so a server allowed to use it fails to bind (exit
// 1) instead of listening beyond loopback, and one refused exits 2 before trying.
const ELSEWHERE = '192.0.2.1'

const LISTENING = /^duet-server listening on http:\/\/([^\n]+):(\d+)\n/

describe('duet-server safe defaults (#13)', () => {
  const cleanups: (() => unknown)[] = []
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'duet-secrets-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  /** Starts the CLI in-process; resolves with its first stdout line, stopped after the test. */
  async function serve(argv: string[], env: Record<string, string> = {}) {
    const { cli, signals, line, output } = fakeProcess(argv, env)
    const exit = main(cli)
    cleanups.push(() => {
      signals.emit('SIGTERM')
      return exit
    })
    const first = await Promise.race([line, exit.then(() => `exited: ${output.stderr}`)])
    const match = LISTENING.exec(first)
    if (!match) throw new Error(first)
    return { host: match[1]!, port: Number(match[2]), output }
  }

  /** Runs the CLI in-process until it exits; it must not get as far as listening. */
  async function refused(argv: string[], env: Record<string, string> = {}) {
    const { cli, signals, output } = fakeProcess(argv, env)
    const exit = main(cli)
    cleanups.push(() => {
      signals.emit('SIGTERM')
      return exit
    })
    return { code: await exit, stderr: output.stderr, stdout: output.stdout }
  }

  it('should listen on loopback when no host is given', async () => {
    const { host } = await serve(['--port', '0'])
    expect(host).toBe('127.0.0.1')
  })

  it('should exit 2 and name the flags to set beyond loopback with neither auth nor origins', async () => {
    const { code, stderr, stdout } = await refused(['--port', '0', '--host', ELSEWHERE])
    expect(code).toBe(EXIT_USAGE)
    expect(stdout).toBe('')
    for (const flag of ['--jwt-secret', '--jwks-url', '--cors-origin', '--allow-anonymous']) {
      expect(stderr).toContain(flag)
    }
  })

  it.each([
    [['--allow-anonymous']],
    [['--cors-origin', '*']],
    [['--cors-origin', 'https://app.example']],
    [['--jwt-secret', SECRET]],
  ])('should go on to bind beyond loopback with %j', async (flags) => {
    const { code, stderr } = await refused(['--port', '0', '--host', ELSEWHERE, ...flags])
    // Past the check, the bind itself fails: this machine does not have that address.
    expect(stderr).toMatch(/cannot listen/)
    expect(code).toBe(1)
  })

  it('should exit 2 on --redis without --resume-secret', async () => {
    const { code, stderr } = await refused(['--port', '0', '--redis', 'redis://127.0.0.1:1'])
    expect(code).toBe(EXIT_USAGE)
    expect(stderr).toMatch(/--resume-secret/)
  })

  it('should exit 2 on TURN without authentication: no open relay', async () => {
    const { code, stderr } = await refused([
      '--port',
      '0',
      '--turn-secret',
      'turn-secret',
      '--turn-urls',
      'turn:turn.example:3478',
    ])
    expect(code).toBe(EXIT_USAGE)
    expect(stderr).toMatch(/--turn-secret/)
    expect(() =>
      createSignalingServer({
        port: 0,
        host: '127.0.0.1',
        turnSecret: 'turn-secret',
        turnUrls: ['turn:turn.example:3478'],
      }),
    ).toThrow(TypeError)
  })

  it.each([[['--jwt-secret', 'too-short']], [['--resume-secret', 'too-short']]])(
    'should exit 2 on a secret shorter than 32 bytes: %j',
    async (flags) => {
      const { code, stderr } = await refused(['--port', '0', ...flags])
      expect(code).toBe(EXIT_USAGE)
      expect(stderr).toMatch(/32 bytes/)
    },
  )

  it('should serve /metrics only on --metrics-port, off the public listener', async () => {
    const metricsPort = await freePort()
    const { port } = await serve(['--port', '0', '--metrics-port', String(metricsPort)])
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`)
    expect(metrics.status).toBe(200)
    expect(await metrics.text()).toContain('duet_sockets')
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404)
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
  })

  it('should read the metrics address from DUET_METRICS_HOST and DUET_METRICS_PORT', async () => {
    const metricsPort = await freePort()
    const { port } = await serve([], {
      DUET_PORT: '0',
      DUET_METRICS_HOST: '127.0.0.1',
      DUET_METRICS_PORT: String(metricsPort),
    })
    expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(200)
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404)
  })

  it('should read secrets from files named by --*-file flags and *_FILE variables', async () => {
    const jwtFile = join(dir, 'jwt')
    writeFileSync(jwtFile, `${SECRET}\n`)
    const resumeFile = join(dir, 'resume')
    writeFileSync(resumeFile, `${'r'.repeat(40)}\n`)
    const { port } = await serve(['--port', '0', '--jwt-secret-file', jwtFile], {
      DUET_RESUME_SECRET_FILE: resumeFile,
    })
    const token = await new SignJWT({ rooms: '*' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode(SECRET))
    const client = io(`http://127.0.0.1:${port}`, {
      forceNew: true,
      transports: ['websocket'],
      reconnection: false,
      auth: { token },
    })
    cleanups.push(() => client.disconnect())
    expect(await client.timeout(2000).emitWithAck('room:join', { roomId: 'files' })).toMatchObject({
      ok: true,
    })
  })

  it.each([
    [['--jwt-secret', SECRET, '--jwt-secret-file', '/nonexistent'], {}, /not both/],
    [[], { DUET_JWT_SECRET: SECRET, DUET_JWT_SECRET_FILE: '/nonexistent' }, /not both/],
    [['--turn-secret-file', '/nonexistent/turn'], {}, /cannot read/],
  ])('should exit 2 on %j %j', async (flags, env, message) => {
    const { code, stderr } = await refused(['--port', '0', ...flags], env)
    expect(code).toBe(EXIT_USAGE)
    expect(stderr).toMatch(message)
  })
})

describe('built duet-server beyond loopback (#13)', () => {
  beforeAll(ensureBuilt, 90_000)

  it('should exit 2 without listening when bound to every interface with no auth and no origins', async () => {
    const child = spawn(process.execPath, [CLI, '--port', '0', '--host', '0.0.0.0'], {
      env: { PATH: process.env.PATH },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
      // Listening after all (the bug): stop it rather than leave it open.
      if (stdout.includes('\n')) child.kill('SIGTERM')
    })
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const code = await new Promise((resolve) => child.on('close', resolve))
    expect(stdout).toBe('')
    expect(stderr).toMatch(/^duet-server: [^\n]*--allow-anonymous[^\n]*\n$/)
    expect(code).toBe(2)
  })
})
