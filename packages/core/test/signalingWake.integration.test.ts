import { afterEach, describe, expect, it } from 'vitest'
import { createSocketSignaling } from '../src'
import type { SignalingNotice, SignalingTransport } from '../src/signaling/signaling.types'
import { startServer, until } from './support/nodePeers'
import { startTcpProxy } from './support/tcpProxy'

// Issue #17: a page that wakes (or a network that comes back) reconnects its signaling at once,
// instead of at the end of Socket.io's reconnection backoff, which can be many seconds away.

describe('waking the Socket.io signaling transport', () => {
  const cleanups: (() => unknown)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  async function droppedTransport() {
    const { server, url } = await startServer()
    cleanups.push(() => server.close())
    const proxy = await startTcpProxy(Number(new URL(url).port))
    cleanups.push(proxy.close)
    // A backoff far longer than the test: only a wake can bring it back in time.
    const transport: SignalingTransport = createSocketSignaling(proxy.url, {
      socket: { reconnectionDelay: 60_000, reconnectionDelayMax: 60_000, randomizationFactor: 0 },
    })
    cleanups.push(() => transport.close())
    const notices: SignalingNotice['type'][] = []
    transport.subscribe((notice) => notices.push(notice.type))
    const joined = await transport.join('wake')
    proxy.cut()
    await until(() => notices.includes('disconnected'), 5000, 'the drop noticed')
    proxy.restore()
    return { transport, notices, joined }
  }

  it('should reconnect and resume its place at once when woken, not after its backoff', async () => {
    const { transport, notices } = await droppedTransport()
    transport.wake?.()
    await until(() => notices.includes('reconnected'), 10_000, 'resumed after the wake')
    expect(notices).toEqual(['disconnected', 'reconnected'])
  }, 20_000)

  it('should do nothing when woken while connected, or once closed', async () => {
    const { transport, notices } = await droppedTransport()
    transport.wake?.()
    await until(() => notices.includes('reconnected'), 10_000, 'resumed after the wake')
    transport.wake?.()
    transport.close()
    transport.wake?.()
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(notices).toEqual(['disconnected', 'reconnected'])
  }, 20_000)
})
