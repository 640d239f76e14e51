import { describe, expect, it } from 'vitest'
import {
  type CallActor,
  connectCall,
  createSocketSignaling,
  type JoinOptions,
  type SignalingTransport,
} from '../src'
import { countingPlatform, nodeCall, reach, startServer, until } from './support/nodePeers'

/** The Socket.io signaling, recording what the join carried, who got its offer, and each signal. */
function recordingSignaling(url: string) {
  const sent: { join: JoinOptions | undefined; offeredTo?: string; signals: string[] } = {
    join: undefined,
    signals: [],
  }
  const signaling = (): SignalingTransport => {
    const transport = createSocketSignaling(url)
    return {
      ...transport,
      join: async (roomId, options) => {
        sent.join = options
        const result = await transport.join(roomId, options)
        sent.offeredTo = result.offeredTo
        return result
      },
      send: (to, signal) => {
        sent.signals.push(signal.type)
        return transport.send(to, signal)
      },
    }
  }
  return { sent, signaling }
}

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

  it('should have its connection and offer ready before the join, and carry the offer in the join', async () => {
    const { server, url } = await startServer()
    const counted = countingPlatform()
    const first = nodeCall(url, { roomId: 'ahead' })
    const { sent, signaling } = recordingSignaling(url)
    const second = nodeCall(url, {
      roomId: 'ahead',
      platform: counted.platform,
      signaling,
    })
    const preview = (call: CallActor) => connectCall(call.getSnapshot(), call.send).startPreview()
    try {
      // During the preview the connection is built and offers, while nobody has joined yet.
      preview(second)
      await until(
        () => counted.made[0]?.signalingState === 'have-local-offer',
        5000,
        'an offer made ahead',
      )
      connectCall(first.getSnapshot(), first.send).join()
      await reach(first, 'ready')
      connectCall(second.getSnapshot(), second.send).join()
      await Promise.all([reach(first, 'connected'), reach(second, 'connected')])
      expect(counted.made).toHaveLength(1)
      // The offer was not made again: the session negotiated is the one gathered ahead.
      expect(counted.offers.count).toBe(1)
      // It left with the join, its candidates in its SDP, and the server handed it to the first.
      expect(sent.join?.offer?.sdp).toContain('a=candidate:')
      expect(sent.offeredTo).toBe(first.getSnapshot().context.peerId)
      expect(sent.offeredTo).toBeDefined()
      expect(sent.signals).not.toContain('offer')
    } finally {
      first.stop()
      second.stop()
      await server.close()
    }
  })

  // #18: a join at the moment the camera is ready finds the offer still being made.
  it.each([
    { offerDelayMs: 150, rides: true },
    { offerDelayMs: 1500, rides: false },
  ])(
    'should wait briefly for an offer being made (made in $offerDelayMs ms: in the join $rides)',
    async ({ offerDelayMs, rides }) => {
      const { server, url } = await startServer()
      const counted = countingPlatform({ offerDelayMs })
      const first = nodeCall(url, { roomId: `making-${offerDelayMs}` })
      const { sent, signaling } = recordingSignaling(url)
      const second = nodeCall(url, {
        roomId: `making-${offerDelayMs}`,
        platform: counted.platform,
        signaling,
      })
      try {
        connectCall(first.getSnapshot(), first.send).join()
        await reach(first, 'ready')
        connectCall(second.getSnapshot(), second.send).startPreview()
        await until(() => counted.made.length === 1, 5000, 'a connection built ahead')
        expect(counted.made[0]?.signalingState).toBe('stable')
        connectCall(second.getSnapshot(), second.send).join()
        await Promise.all([reach(first, 'connected'), reach(second, 'connected')])
        expect(counted.offers.count).toBe(1)
        if (rides) {
          expect(sent.join?.offer?.type).toBe('offer')
          expect(sent.offeredTo).toBe(first.getSnapshot().context.peerId)
          expect(sent.signals).not.toContain('offer')
          // Made before any gathering: its candidates follow it.
          expect(sent.signals).toContain('candidate')
        } else {
          // Too long to hold the join for: it left alone and the offer followed its answer.
          expect(sent.join?.offer).toBeUndefined()
          expect(sent.offeredTo).toBeUndefined()
          expect(sent.signals[0]).toBe('offer')
        }
      } finally {
        first.stop()
        second.stop()
        await server.close()
      }
    },
  )

  it('should close the connection it built ahead when the call ends before a join', async () => {
    const { server, url } = await startServer()
    const counted = countingPlatform()
    const call = nodeCall(url, { roomId: 'never', platform: counted.platform })
    const preview = (actor: CallActor) =>
      connectCall(actor.getSnapshot(), actor.send).startPreview()
    try {
      preview(call)
      await until(() => counted.made.length === 1, 5000, 'a connection built ahead')
      call.stop()
      // Once its offer is made: closing in the middle of one can crash Node's WebRTC binding.
      await until(() => counted.open() === 0, 5000, 'the connection built ahead closed')
      const disabled = countingPlatform()
      const cold = nodeCall(url, { roomId: 'never', platform: disabled.platform, warmUp: false })
      preview(cold)
      await reach(cold, 'media')
      expect(disabled.made).toHaveLength(0)
      cold.stop()
    } finally {
      await server.close()
    }
  })

  // #18: the TURN servers come while the camera starts, so the join keeps the spare.
  it('should build its spare with TURN before the join and call on that connection', async () => {
    const { server, url } = await startServer({
      turnSecret: 'test-secret',
      turnUrls: ['turn:127.0.0.1:3478'],
      authenticate: () => ({}),
    })
    const first = nodeCall(url, { roomId: 'turn-ahead' })
    const counted = countingPlatform()
    const second = nodeCall(url, { roomId: 'turn-ahead', platform: counted.platform })
    try {
      connectCall(first.getSnapshot(), first.send).join()
      await reach(first, 'ready')
      connectCall(second.getSnapshot(), second.send).startPreview()
      const turnOf = (pc: RTCPeerConnection | undefined) =>
        pc?.getConfiguration().iceServers?.find((s) => s.username)?.username
      // With no camera to wait for, the spare may come first and be rebuilt once TURN arrives.
      const withTurn = () =>
        counted.made.find((pc) => pc.connectionState !== 'closed' && turnOf(pc) !== undefined)
      await until(() => withTurn() !== undefined, 5000, 'a spare with TURN')
      const spare = withTurn()
      const built = counted.made.length
      connectCall(second.getSnapshot(), second.send).join()
      await reach(second, 'connected')
      expect(counted.made).toHaveLength(built)
      expect(spare?.connectionState).toBe('connected')
    } finally {
      first.stop()
      second.stop()
      await server.close()
    }
  })

  it('should refresh TURN credentials on every connection before they expire', async () => {
    // Two-second credentials: the call must fetch fresh ones well before they run out.
    const { server, url } = await startServer({
      turnSecret: 'test-secret',
      turnUrls: ['turn:127.0.0.1:3478'],
      turnTtlSeconds: 2,
      // TURN credentials go to authenticated peers only.
      authenticate: () => ({}),
    })
    const counted = countingPlatform()
    const first = nodeCall(url, { roomId: 'turn', platform: counted.platform })
    const second = nodeCall(url, { roomId: 'turn' })
    try {
      connectCall(first.getSnapshot(), first.send).join()
      await reach(first, 'ready')
      connectCall(second.getSnapshot(), second.send).join()
      await reach(first, 'connected')
      const inUse = () => counted.made.find((pc) => pc.connectionState !== 'closed')
      const username = () =>
        inUse()
          ?.getConfiguration()
          .iceServers?.find((s) => s.username)?.username
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
