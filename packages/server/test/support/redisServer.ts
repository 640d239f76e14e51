import { connect } from 'node:net'
import { afterAll, beforeAll } from 'vitest'
import { type Child, spawnChild, waitUntil } from './childProcess'
import { freePort } from './freePort'

/** A real `redis-server` on a loopback port, started by a test. */
export interface RedisProcess {
  port: number
  url: string
  child: Child
  /** Stops it (SIGTERM, then SIGKILL). */
  stop(): Promise<void>
}

const REDIS = '/usr/bin/redis-server'

/** Answers whether a Redis answers PING on the port. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    // A Redis with a password answers NOAUTH: it is up all the same.
    socket.once('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())))
  })
}

/**
 * Starts `redis-server` without persistence on a free loopback port and waits for PING;
 * `extraArgs` adds settings such as `--requirepass`.
 */
export async function startRedis(extraArgs: string[] = []): Promise<RedisProcess> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const child = spawnChild(
      REDIS,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'yes',
        ...extraArgs,
      ],
      'apt-get install -y redis-server',
    )
    try {
      await waitUntil(
        async () => {
          if (child.process.exitCode !== null)
            throw new Error(`redis-server exited: ${child.output()}`)
          return pings(port)
        },
        5000,
        'redis-server',
      )
      return { port, url: `redis://127.0.0.1:${port}`, child, stop: () => child.stop() }
    } catch (error) {
      await child.kill()
      // The port may have been taken between freePort() and the bind.
      if (attempt >= 3) throw error
    }
  }
}

/**
 * A real `redis-server` shared by the tests of one describe block: started before them, stopped
 * after them. Returns its URL, for use inside tests.
 */
export function useRedis(): () => string {
  let redis: RedisProcess | undefined
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(async () => {
    await redis?.stop()
  })
  return () => {
    if (!redis) throw new Error('redis-server has not started')
    return redis.url
  }
}
