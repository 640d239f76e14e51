import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { io } from 'socket.io-client'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { USAGE } from '../src/config/cliConfig'
import { EXIT_FAILURE, EXIT_USAGE, formatUrl, main } from '../src/run'
import { CLI, ensureBuilt } from './support/cliNode'
import { fakeProcess } from './support/fakeProcess'

const LISTENING = /^duet-server listening on (http:\/\/127\.0\.0\.1:(\d+))\n$/

describe('main', () => {
  const cleanups: (() => unknown)[] = []

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  it('should print the listening line, serve, and exit 0 on SIGTERM', async () => {
    const { cli, output, signals, line } = fakeProcess(['--port', '0', '--host', '127.0.0.1'])
    const exit = main(cli)
    cleanups.push(() => {
      signals.emit('SIGTERM')
      return exit
    })
    const match = LISTENING.exec(await line)
    expect(match).not.toBeNull()
    const client = io(match![1]!, {
      forceNew: true,
      transports: ['websocket'],
      reconnection: false,
    })
    cleanups.push(() => client.disconnect())
    expect(await client.emitWithAck('room:join', { roomId: 'cli' })).toMatchObject({ ok: true })
    const dropped = new Promise((resolve) => client.once('disconnect', resolve))
    signals.emit('SIGTERM')
    expect(await exit).toBe(0)
    await dropped
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0)
    // Logs are JSON lines on stderr, at info by default: the join, then the drain.
    const logs = output.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(logs.map((entry) => entry.msg)).toEqual(
      expect.arrayContaining(['peer joined', 'draining', 'drained']),
    )
    for (const entry of logs)
      expect(entry).toMatchObject({ time: expect.any(String), level: 'info' })
  })

  it('should tell clients to reconnect elsewhere on SIGTERM', async () => {
    const { cli, signals, line } = fakeProcess([
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--log-level',
      'silent',
    ])
    const exit = main(cli)
    const match = LISTENING.exec(await line)
    const client = io(match![1]!, {
      forceNew: true,
      transports: ['websocket'],
      reconnection: false,
    })
    cleanups.push(() => client.disconnect())
    await new Promise<void>((resolve) => client.once('connect', () => resolve()))
    const told = new Promise<void>((resolve) => client.once('server:draining', () => resolve()))
    signals.emit('SIGTERM')
    await told
    expect(await exit).toBe(0)
  })

  it('should exit 1 with one line when Redis cannot be reached', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const address = closed.address()
    const port = typeof address === 'object' && address ? address.port : 0
    await new Promise((resolve) => closed.close(resolve))
    const { cli, output } = fakeProcess(
      ['--port', '0', '--host', '127.0.0.1', '--log-level', 'silent'],
      // Nothing listens there any more: connecting is refused at once, again and again.
      {
        DUET_REDIS: `redis://127.0.0.1:${port}`,
        DUET_RESUME_SECRET: 'shared-resume-secret-of-32-bytes-or-more',
      },
    )
    expect(await main(cli)).toBe(EXIT_FAILURE)
    expect(output.stderr).toMatch(
      /^duet-server: cannot start: cannot reach redis at redis:\/\/127\.0\.0\.1:\d+\n$/,
    )
  }, 15_000)

  it('should close cleanly on a signal that arrives while starting', async () => {
    const { cli, output, signals } = fakeProcess(['--port', '0', '--host', '127.0.0.1'])
    const exit = main(cli)
    signals.emit('SIGTERM')
    expect(await exit).toBe(0)
    expect(output.stdout).toMatch(LISTENING)
  })

  it('should exit 0 on SIGINT', async () => {
    const { cli, signals, line } = fakeProcess(['--port', '0', '--host', '127.0.0.1'])
    const exit = main(cli)
    await line
    signals.emit('SIGINT')
    expect(await exit).toBe(0)
  })

  it('should apply the environment', async () => {
    const { cli, signals, line } = fakeProcess([], { DUET_PORT: '0', DUET_HOST: '127.0.0.1' })
    const exit = main(cli)
    cleanups.push(() => exit)
    expect(await line).toMatch(LISTENING)
    signals.emit('SIGTERM')
  })

  it.each([
    [['--port', 'abc']],
    [['--bogus']],
    [['--max-peers-per-room', '1']],
    [['--max-peers-per-room', '17']],
  ])('should exit 2 with one line on stderr for %j', async (argv) => {
    const { cli, output } = fakeProcess(argv)
    expect(await main(cli)).toBe(EXIT_USAGE)
    expect(output.stdout).toBe('')
    expect(output.stderr).toMatch(/^duet-server: [^\n]+\n$/)
  })

  it('should print usage and exit 0 on --help', async () => {
    const { cli, output } = fakeProcess(['--help'])
    expect(await main(cli)).toBe(0)
    expect(output.stdout).toBe(USAGE)
    expect(USAGE).toContain('--max-peers-per-room')
  })

  it('should exit 1 with a message when the port is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)))
    const address = blocker.address()
    const port = String(typeof address === 'object' && address ? address.port : 0)
    const { cli, output, signals } = fakeProcess(['--port', port, '--host', '127.0.0.1'])
    expect(await main(cli)).toBe(EXIT_FAILURE)
    expect(output.stderr).toMatch(/^duet-server: cannot listen: .*EADDRINUSE.*\n$/)
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0)
  })
})

describe('formatUrl', () => {
  it('should bracket IPv6 hosts', () => {
    expect(formatUrl({ host: '::', port: 3000 })).toBe('http://[::]:3000')
    expect(formatUrl({ host: '0.0.0.0', port: 80 })).toBe('http://0.0.0.0:80')
  })
})

// The built binary needs both packages built (its `@duet/core/protocol` import resolves to core's
// dist); it checks what in-process tests cannot: the shebang, the bundle and real exit codes.
describe('built duet-server', () => {
  const cliPath = CLI
  beforeAll(ensureBuilt, 90_000)

  const run = (args: string[], untilLine: boolean) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cliPath, ...args], { env: { PATH: process.env.PATH } })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk) => {
        stdout += chunk
        if (untilLine && stdout.includes('\n')) child.kill('SIGTERM')
      })
      child.stderr.on('data', (chunk) => (stderr += chunk))
      child.on('close', (code) => resolve({ code, stdout, stderr }))
    })

  it('should print the listening line and exit 0 on SIGTERM', async () => {
    const result = await run(['--port', '0', '--host', '127.0.0.1'], true)
    expect(result.stdout).toMatch(LISTENING)
    expect(result.code).toBe(0)
  })

  it('should exit 2 on an invalid port', async () => {
    const result = await run(['--port', 'nope'], false)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^duet-server: --port must be an integer[^\n]*\n$/)
  })
})
