import { describe, expect, it } from 'vitest'
import { connectCall } from '../src'
import { countingPlatform, nodeCall, reach, startServer, until } from './support/nodePeers'

const ROUNDS = 50

describe('perfect negotiation under glare', () => {
  it(`should survive both sides offering at once, ${ROUNDS} times in a row`, async () => {
    // 50 back-to-back renegotiations send ~280 messages/s: far past what a real call does.
    const { server, url } = await startServer({ rateLimit: false })
    const platforms = [countingPlatform(), countingPlatform()]
    const [a, b] = platforms.map((counted) =>
      nodeCall(url, { roomId: 'glare', platform: counted.platform, statsIntervalMs: 0 }),
    )
    if (!a || !b) throw new Error('two calls expected')
    const errors: string[] = []
    for (const call of [a, b]) call.on('error', ({ error }) => errors.push(error.message))
    try {
      connectCall(a.getSnapshot(), a.send).join()
      await reach(a, 'ready')
      connectCall(b.getSnapshot(), b.send).join()
      await Promise.all([reach(a, 'connected'), reach(b, 'connected')])
      const pcs = platforms.map((counted) => counted.live()[0] as RTCPeerConnection)
      const madeBefore = platforms.map((counted) => counted.made.length)
      const rollbacksBefore = () =>
        platforms.reduce((sum, counted) => sum + counted.rollbacks.count, 0)

      for (let round = 1; round <= ROUNDS; round += 1) {
        const before = rollbacksBefore()
        // Both restart ICE in the same tick: each creates an offer while the other's is in flight.
        connectCall(a.getSnapshot(), a.send).restartIce()
        connectCall(b.getSnapshot(), b.send).restartIce()
        await until(() => rollbacksBefore() > before, 5000, `a rollback in round ${round}`)
        await until(() => pcs.every((pc) => pc.signalingState === 'stable'), 5000, 'stable again')
        const echo = new Promise((resolve) => b.on('message', ({ data }) => resolve(data)))
        connectCall(a.getSnapshot(), a.send).send(`round ${round}`)
        expect(await echo).toBe(`round ${round}`)
        expect([a, b].map((call) => connectCall(call.getSnapshot(), call.send).status)).toEqual([
          'connected',
          'connected',
        ])
      }
      expect(rollbacksBefore()).toBeGreaterThanOrEqual(ROUNDS)
      expect(platforms.map((counted) => counted.made.length)).toEqual(madeBefore)
      expect(errors).toEqual([])
    } finally {
      a.stop()
      b.stop()
      await server.close()
    }
  }, 60_000)
})
