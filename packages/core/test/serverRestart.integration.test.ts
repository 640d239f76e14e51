import type { SignalingServer } from '@duet/server'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createSocketSignaling,
  SignalingError,
  type SignalingNotice,
  type SignalingTransport,
} from '../src'
import { startServer } from './support/nodePeers'

// A server that shuts down (a restart, a deploy without draining) closes every connection from
// its side, which Socket.io clients take as final unless told otherwise.
describe('a signaling server that shuts down', () => {
  const servers: SignalingServer[] = []
  const transports: SignalingTransport[] = []
  afterEach(async () => {
    for (const transport of transports.splice(0)) transport.close()
    for (const server of servers.splice(0)) await server.close()
  })

  const connected = (transport: SignalingTransport, url: string) =>
    // The first join also proves the socket is up before the server goes.
    transport.join('warm-up').then(() => url)

  it('should fail a join at once as unreachable, not after the ack timeout', async () => {
    const { server, url } = await startServer()
    const transport = createSocketSignaling(url, { timeoutMs: 60_000 })
    transports.push(transport)
    await connected(transport, url)
    await server.close()
    const error = await transport.join('after-shutdown').catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(SignalingError)
    expect((error as SignalingError).code).toBe('signaling-unreachable')
  }, 10_000)

  it('should find the server again when it comes back on the same address, and rejoin', async () => {
    const first = await startServer({ resumeSecret: 'restart-secret-of-at-least-32-bytes!!' })
    const port = Number(new URL(first.url).port)
    const fast = { reconnectionDelay: 50, reconnectionDelayMax: 200 }
    const transport = createSocketSignaling(first.url, { socket: fast })
    transports.push(transport)
    const notices: SignalingNotice[] = []
    transport.subscribe((notice) => notices.push(notice))
    await transport.join('restarted')
    await first.server.close()
    await expect.poll(() => notices.map((notice) => notice.type)).toContain('disconnected')

    const { createSignalingServer } = await import('@duet/server')
    const second = createSignalingServer({
      port,
      host: '127.0.0.1',
      resumeSecret: 'restart-secret-of-at-least-32-bytes!!',
    })
    servers.push(second)
    await second.ready
    await expect
      .poll(() => notices.map((notice) => notice.type), { timeout: 8000 })
      .toContain('rejoined')
    expect(second.io.of('/').sockets.size).toBe(1)
  }, 15_000)
})
