import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Child, spawnChild, waitUntil } from './childProcess'
import { freePort } from './freePort'

/** A real coturn on loopback, with TURN REST (use-auth-secret) authentication. */
export interface CoturnProcess {
  port: number
  secret: string
  /** TURN URL for UDP relays. */
  url: string
  child: Child
  stop(): Promise<void>
}

const TURNSERVER = '/usr/bin/turnserver'

/** Whether something accepts TCP connections on the loopback port. */
export const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })

/**
 * The turnserver flags only a test on loopback needs: its own port and a small relay range, no
 * TLS certificate, loopback peers allowed, its files in `dir`, its log on stdout.
 */
export function loopbackTurnArgs(dir: string, port: number): string[] {
  const minPort = 50_000 + Math.floor(Math.random() * 10_000)
  return [
    `--listening-port=${port}`,
    `--min-port=${minPort}`,
    `--max-port=${minPort + 100}`,
    '--no-tls',
    '--no-dtls',
    '--allow-loopback-peers',
    '--log-file=stdout',
    '--simple-log',
    `--pidfile=${join(dir, 'turnserver.pid')}`,
    `--db=${join(dir, 'turndb')}`,
  ]
}

/**
 * Starts `turnserver` on a free loopback port with a small relay port range. Loopback peers are
 * allowed only because the test's peers are on loopback; production keeps coturn's default.
 */
export async function startCoturn(secret = 'turn-test-secret'): Promise<CoturnProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'duet-coturn-'))
  const port = await freePort()
  const child = spawnChild(
    TURNSERVER,
    [
      '-n',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm=duet.test',
      '--fingerprint',
      '--no-cli',
      ...loopbackTurnArgs(dir, port),
    ],
    'apt-get install -y coturn',
  )
  try {
    await waitUntil(
      async () => {
        if (child.process.exitCode !== null) throw new Error(`turnserver exited: ${child.output()}`)
        return accepts(port)
      },
      5000,
      'turnserver',
    )
  } catch (error) {
    await child.kill()
    throw error
  }
  return {
    port,
    secret,
    url: `turn:127.0.0.1:${port}?transport=udp`,
    child,
    async stop() {
      await child.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
