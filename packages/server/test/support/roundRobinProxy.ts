import { connect, createServer, type Socket } from 'node:net'

/** A loopback TCP load balancer for tests: one URL in front of several server nodes. */
export interface RoundRobinProxy {
  /** `http://127.0.0.1:<port>` of the proxy. */
  url: string
  /** Target port of each connection accepted so far, in order. */
  routed: number[]
  close(): Promise<void>
}

/**
 * Hands each new TCP connection to the next target in turn. A target that refuses the
 * connection (a dead node) is skipped for the next one, as a load balancer's health check would,
 * so clients of a killed node reconnect to a live one.
 */
export async function startRoundRobinProxy(targets: readonly number[]): Promise<RoundRobinProxy> {
  const open = new Set<Socket>()
  const routed: number[] = []
  let turn = 0
  const track = (socket: Socket) => {
    open.add(socket)
    socket.on('close', () => open.delete(socket))
    socket.on('error', () => socket.destroy())
  }
  const proxy = createServer((client) => {
    track(client)
    client.pause()
    const attempt = (tries: number) => {
      if (tries >= targets.length || client.destroyed) return client.destroy()
      const port = targets[turn++ % targets.length]!
      const upstream = connect(port, '127.0.0.1')
      const refused = () => attempt(tries + 1)
      upstream.once('error', refused)
      upstream.once('connect', () => {
        upstream.off('error', refused)
        track(upstream)
        routed.push(port)
        client.pipe(upstream).pipe(client)
        client.resume()
        client.on('close', () => upstream.destroy())
        upstream.on('close', () => client.destroy())
      })
    }
    attempt(0)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const address = proxy.address()
  if (!address || typeof address === 'string') throw new Error('proxy has no port')
  return {
    url: `http://127.0.0.1:${address.port}`,
    routed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy()
        proxy.close(() => resolve())
      }),
  }
}
