import { connect, createServer, type Socket } from 'node:net'

/** A loopback TCP proxy that can leave the server believing a dropped client is still there. */
export interface HalfOpenProxy {
  /** `http://127.0.0.1:<port>` of the proxy. */
  url: string
  /**
   * Drops every client connection but keeps its server side open and silent: the server sees
   * the connection alive until its ping times out, as after a network change of the client.
   */
  strand(): void
  /** Closes the stranded server sides: the server now sees those connections drop. */
  release(): void
  close(): Promise<void>
}

/** Forwards each connection to `port` on 127.0.0.1. */
export async function startHalfOpenProxy(port: number): Promise<HalfOpenProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>()
  const stranded = new Set<Socket>()
  const proxy = createServer((client) => {
    const upstream = connect(port, '127.0.0.1')
    const pair = { client, upstream }
    pairs.add(pair)
    client.pipe(upstream).pipe(client)
    for (const socket of [client, upstream]) socket.on('error', () => socket.destroy())
    client.on('close', () => {
      pairs.delete(pair)
      if (!stranded.has(upstream)) upstream.destroy()
    })
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const address = proxy.address()
  if (!address || typeof address === 'string') throw new Error('proxy has no port')
  const release = () => {
    for (const socket of stranded) socket.destroy()
    stranded.clear()
  }
  return {
    url: `http://127.0.0.1:${address.port}`,
    strand() {
      for (const { client, upstream } of pairs) {
        client.unpipe(upstream)
        upstream.unpipe(client)
        stranded.add(upstream)
        client.destroy()
      }
    },
    release,
    close: () =>
      new Promise<void>((resolve) => {
        release()
        for (const { client, upstream } of pairs) {
          client.destroy()
          upstream.destroy()
        }
        proxy.close(() => resolve())
      }),
  }
}
