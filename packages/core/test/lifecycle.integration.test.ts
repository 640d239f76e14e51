import { describe, expect, it } from 'vitest'
import { connectCall } from '../src'
import { countingPlatform, nodeCall, reach, startServer, until } from './support/nodePeers'

describe('what a call holds, and gives back', () => {
  it('should release its signaling socket on hang up and on stop', async () => {
    const { server, url } = await startServer()
    const sockets = () => server.io.engine.clientsCount
    try {
      const first = nodeCall(url, { roomId: 'sockets' })
      const second = nodeCall(url, { roomId: 'sockets' })
      connectCall(first.getSnapshot(), first.send).join()
      await reach(first, 'ready')
      connectCall(second.getSnapshot(), second.send).join()
      await reach(first, 'connected')
      expect(sockets()).toBe(2)

      connectCall(first.getSnapshot(), first.send).hangUp()
      await until(() => sockets() === 1, 5000, 'the hung-up socket closed')
      second.stop()
      await until(() => sockets() === 0, 5000, 'the stopped socket closed')
    } finally {
      await server.close()
    }
  })

  it('should refresh TURN credentials on every connection before they expire', async () => {
    // Two-second credentials: the call must fetch fresh ones well before they run out.
    const { server, url } = await startServer({
      turnSecret: 'test-secret',
      turnUrls: ['turn:127.0.0.1:3478'],
      turnTtlSeconds: 2,
    })
    const counted = countingPlatform()
    const first = nodeCall(url, { roomId: 'turn', platform: counted.platform })
    const second = nodeCall(url, { roomId: 'turn' })
    try {
      connectCall(first.getSnapshot(), first.send).join()
      await reach(first, 'ready')
      connectCall(second.getSnapshot(), second.send).join()
      await reach(first, 'connected')
      const username = () =>
        counted.made[0]?.getConfiguration().iceServers?.find((s) => s.username)?.username
      const initial = username()
      expect(initial).toMatch(/^\d+:/)
      await until(() => username() !== initial, 5000, 'fresh TURN credentials')
      const expiry = Number(username()?.split(':')[0])
      expect(expiry * 1000).toBeGreaterThan(Date.now())
      expect(connectCall(first.getSnapshot(), first.send).status).toBe('connected')
    } finally {
      first.stop()
      second.stop()
      await server.close()
    }
  })
})
