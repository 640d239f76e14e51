import { connect, createServer, type Socket } from 'node:net'

/**
 * A loopback TCP proxy in front of a server, so a test can really break the signaling
 * connection (every socket destroyed, new ones refused) and then let it back.
 */
export async function startTcpProxy(targetPort: number) {
  const open = new Set<Socket>()
  let cut = false
  let silent = false
  const proxy = createServer((client) => {
    if (cut) return client.destroy()
    const upstream = connect(targetPort, '127.0.0.1')
    for (const socket of [client, upstream]) {
      open.add(socket)
      socket.on('close', () => open.delete(socket))
      socket.on('error', () => socket.destroy())
    }
    // Forwarded by hand, not piped, so `blackhole()` can drop bytes while the sockets stay open.
    client.on('data', (chunk) => silent || upstream.write(chunk))
    upstream.on('data', (chunk) => silent || client.write(chunk))
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const address = proxy.address()
  if (!address || typeof address === 'string') throw new Error('proxy has no port')
  return {
    url: `http://127.0.0.1:${address.port}`,
    /** Drops every connection and refuses new ones until `restore()`. */
    cut() {
      cut = true
      for (const socket of open) socket.destroy()
    },
    /**
     * Stops forwarding without closing anything (no FIN, no RST), as a closed laptop lid or a
     * vanished network does: only a heartbeat can tell, until `restore()`.
     */
    blackhole() {
      silent = true
    },
    restore() {
      cut = false
      silent = false
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy()
        proxy.close(() => resolve())
      }),
  }
}
