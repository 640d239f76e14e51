import type { SignalingServer, SignalingServerOptions } from '@duet/server'
import { afterEach, describe, expect, it } from 'vitest'
import {
  connectCall,
  createSocketSignaling,
  type SignalingNotice,
  type SignalingTransport,
  type SocketSignalingOptions,
} from '../src'
import { nodeCall, nodePlatform, reach, startServer, until } from './support/nodePeers'
import { startTcpProxy } from './support/tcpProxy'

// Duet's own Socket.io client (in place of socket.io-client): the transports, paths and
// recovery a deployment may put between the peers and the server.

const HOST_CANDIDATE = {
  candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host',
  sdpMid: '0',
  sdpMLineIndex: 0,
}

describe("Duet's Socket.io client against a real server", () => {
  let server: SignalingServer | undefined
  const cleanups: (() => unknown)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    await server?.close()
    server = undefined
  })

  async function serve(options: Omit<SignalingServerOptions, 'port' | 'host' | 'httpServer'> = {}) {
    const started = await startServer(options)
    server = started.server
    return started.url
  }

  function connect(url: string, options: SocketSignalingOptions = {}) {
    const transport = createSocketSignaling(url, options)
    cleanups.push(() => transport.close())
    const notices: SignalingNotice[] = []
    transport.subscribe((notice) => notices.push(notice))
    return { transport, notices }
  }

  /** Both relay a signal to the other through the server; resolves once each got its own. */
  async function relayBothWays(
    a: { transport: SignalingTransport; notices: SignalingNotice[] },
    b: { transport: SignalingTransport; notices: SignalingNotice[] },
    roomId: string,
  ) {
    const aJoin = await a.transport.join(roomId)
    const bJoin = await b.transport.join(roomId)
    await a.transport.send(bJoin.peerId, { type: 'candidate', candidate: null })
    await b.transport.send(aJoin.peerId, { type: 'candidate', candidate: HOST_CANDIDATE })
    await until(
      () =>
        a.notices.some((n) => n.type === 'signal' && n.from === bJoin.peerId) &&
        b.notices.some((n) => n.type === 'signal' && n.from === aJoin.peerId),
      5000,
      'both signals relayed',
    )
    return { aJoin, bJoin }
  }

  const socketsOnServer = () => [...(server?.io.of('/').sockets.values() ?? [])]
  const transportsOnServer = () => socketsOnServer().map((socket) => socket.conn.transport.name)

  it('should join and relay over long polling alone, for networks that refuse WebSocket', async () => {
    const url = await serve()
    const polling = connect(url, { socket: { transports: ['polling'] } })
    const websocket = connect(url)
    await relayBothWays(polling, websocket, 'polling')
    expect(transportsOnServer().sort()).toEqual(['polling', 'websocket'])
  })

  it('should split a burst of large signals over polling into bodies the server accepts', async () => {
    const url = await serve()
    const polling = connect(url, { socket: { transports: ['polling'] } })
    const other = connect(url)
    await polling.transport.join('burst')
    const { peerId } = await other.transport.join('burst')
    // Eight offers of 60 KB sent at once: together over the server's body limit (~200 KB).
    const sdp = `v=0\r\n${'a=x'.repeat(20_000)}\r\n`
    await Promise.all(
      Array.from({ length: 8 }, () => polling.transport.send(peerId, { type: 'offer', sdp })),
    )
    await until(
      () => other.notices.filter((n) => n.type === 'signal').length === 8,
      5000,
      'all eight offers relayed',
    )
    expect(polling.notices.some((n) => n.type === 'disconnected')).toBe(false)
  })

  it('should fall back to long polling by itself when the server takes no WebSocket', async () => {
    const url = await serve({ transports: ['polling'] })
    await relayBothWays(connect(url), connect(url), 'fallback')
    expect(transportsOnServer()).toEqual(['polling', 'polling'])
  })

  it('should reach a server on another path, with the query of its URL and options', async () => {
    const url = await serve({ path: '/signal' })
    const options = { socket: { path: '/signal', query: { tenant: 'blue' } } }
    await relayBothWays(connect(`${url}/?app=demo`, options), connect(url, options), 'path')
    const queries = socketsOnServer().map((socket) => socket.handshake.query)
    expect(queries[0]).toMatchObject({ app: 'demo', tenant: 'blue' })
    expect(queries[1]).toMatchObject({ tenant: 'blue' })
  })

  it('should take a ws:// address as the same server', async () => {
    const url = await serve()
    const wsUrl = url.replace(/^http:/, 'ws:')
    const polling = { socket: { transports: ['polling' as const] } }
    await relayBothWays(connect(wsUrl), connect(wsUrl, polling), 'ws-scheme')
    expect(transportsOnServer().sort()).toEqual(['polling', 'websocket'])
  })

  it('should fail a join as unreachable when the path is wrong, not hang', async () => {
    const url = await serve()
    const { transport } = connect(url, { socket: { path: '/elsewhere', reconnectionDelay: 50 } })
    await expect(transport.join('nowhere')).rejects.toMatchObject({
      name: 'SignalingError',
      code: 'signaling-unreachable',
    })
  })

  it("should connect a call with the platform's WebSocket, for runtimes that have none", async () => {
    const url = await serve()
    const opened: string[] = []
    class NamedWebSocket extends WebSocket {
      constructor(address: string | URL) {
        super(address)
        opened.push(String(address))
      }
    }
    const call = nodeCall(url, {
      roomId: 'platform',
      platform: { ...nodePlatform, WebSocket: NamedWebSocket },
    })
    cleanups.push(() => call.stop())
    connectCall(call.getSnapshot(), call.send).join()
    await reach(call, 'ready')
    expect(opened).toHaveLength(1)
    expect(opened[0]).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/socket\.io\/\?EIO=4&transport=websocket$/)
    expect(transportsOnServer()).toEqual(['websocket'])
  })

  it('should get its session back through connection state recovery, with what was sent meanwhile', async () => {
    const url = await serve({ recoveryWindowMs: 30_000 })
    const proxy = await startTcpProxy(Number(new URL(url).port))
    cleanups.push(proxy.close)
    const fast = { reconnectionDelay: 50, reconnectionDelayMax: 100 }
    for (const transports of [['websocket'], ['polling']] as const) {
      const away = connect(proxy.url, { socket: { ...fast, transports: [...transports] } })
      const steady = connect(url)
      const { aJoin } = await relayBothWays(away, steady, `recovery-${transports[0]}`)

      proxy.cut()
      await until(() => away.notices.some((n) => n.type === 'disconnected'), 10_000, 'drop seen')
      await steady.transport.send(aJoin.peerId, { type: 'candidate', candidate: null })
      proxy.restore()
      await until(() => away.notices.some((n) => n.type === 'reconnected'), 10_000, 'back')

      await until(
        () => away.notices.filter((n) => n.type === 'signal').length === 2,
        5000,
        'the relay sent while away',
      )
      expect(away.notices.some((n) => n.type === 'rejoined')).toBe(false)
      // The next round's cut would drop this one too.
      away.transport.close()
    }
    const resumes = (await server?.metrics.resumes.get())?.values ?? []
    expect(resumes.find((series) => series.labels.via === 'recovery')?.value).toBe(2)
  }, 30_000)
})
