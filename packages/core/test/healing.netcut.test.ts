import type { SignalingServer } from '@duet/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { waitFor } from 'xstate'
import { type CallActor, type CallHealingOptions, connectCall } from '../src'
import { canCutNetwork, cutPeerTraffic, healPeerTraffic } from './support/network'
import { countingPlatform, nodeCall, reach, startServer, until } from './support/nodePeers'

const fastHealing = { iceGraceMs: 300, restartBackoffMs: 400 }

describe.runIf(canCutNetwork)('self-healing over a really broken network', () => {
  let server: SignalingServer
  let url: string
  const calls: CallActor[] = []

  beforeEach(async () => {
    ;({ server, url } = await startServer())
  })

  afterEach(async () => {
    healPeerTraffic()
    for (const call of calls.splice(0)) call.stop()
    await server.close()
  })

  async function connectedPair(roomId: string, healing: Partial<CallHealingOptions>) {
    const platforms = [countingPlatform(), countingPlatform()] as const
    const [first, second] = platforms.map((counted) =>
      nodeCall(url, {
        roomId,
        platform: counted.platform,
        healing: { ...fastHealing, ...healing },
      }),
    ) as [CallActor, CallActor]
    calls.push(first, second)
    connectCall(first.getSnapshot(), first.send).join()
    await reach(first, 'ready')
    connectCall(second.getSnapshot(), second.send).join()
    await Promise.all([reach(first, 'connected'), reach(second, 'connected')])
    return { first, second, platforms }
  }

  it('should restart ICE after an outage and carry data again on the same connections', async () => {
    const { first, second, platforms } = await connectedPair('heal-a', { maxIceRestarts: 20 })
    const madeBefore = platforms.map((counted) => counted.made.length)
    cutPeerTraffic(Number(new URL(url).port))
    await Promise.all([reach(first, 'reconnecting', 20_000), reach(second, 'reconnecting', 20_000)])
    healPeerTraffic()
    await Promise.all([reach(first, 'connected', 20_000), reach(second, 'connected', 20_000)])

    expect(platforms.map((counted) => counted.made.length)).toEqual(madeBefore)
    const arrived = new Promise((resolve) => second.on('message', ({ data }) => resolve(data)))
    connectCall(first.getSnapshot(), first.send).send('still here')
    expect(await arrived).toBe('still here')
  }, 60_000)

  it('should end in failed with a reason once the restarts and rejoins are spent', async () => {
    const { first, second } = await connectedPair('heal-b', {
      maxIceRestarts: 2,
      rejoinAttempts: 0,
    })
    cutPeerTraffic(Number(new URL(url).port))
    // Whichever side sees the loss first restarts ICE; the other answers those restarts rather
    // than counting its own, and is left waiting in the room once the first gives up.
    const failed = await Promise.race(
      [first, second].map((call) => reach(call, 'failed', 30_000).then(() => call)),
    )
    const { error } = failed.getSnapshot().context
    expect(error?.code).toBe('connection-failed')
    expect(error?.message).toMatch(/2 ICE restarts did not bring it back/)
  }, 60_000)

  it('should rejoin the room once the restarts are spent and connect again on new connections', async () => {
    const { first, second, platforms } = await connectedPair('heal-c', { maxIceRestarts: 2 })
    const idsBefore = [first, second].map((call) => call.getSnapshot().context.peerId)
    const madeBefore = platforms.map((counted) => counted.made.length)
    cutPeerTraffic(Number(new URL(url).port))
    const rejoining = { room: { reconnecting: 'rejoining' } } as const
    const rejoiner = await Promise.race(
      [first, second].map((call) =>
        waitFor(call, (snapshot) => snapshot.matches(rejoining), { timeout: 30_000 }).then(
          () => call,
        ),
      ),
    )
    // Through all of it the call says it is reconnecting, never that it failed.
    expect(connectCall(rejoiner.getSnapshot(), rejoiner.send).status).toBe('reconnecting')
    healPeerTraffic()
    await Promise.all([reach(first, 'connected', 30_000), reach(second, 'connected', 30_000)])

    expect(rejoiner.getSnapshot().context.peerId).not.toBe(
      idsBefore[[first, second].indexOf(rejoiner)],
    )
    const madeAfter = platforms.map((counted) => counted.made.length)
    expect(madeAfter.every((made, index) => made > (madeBefore[index] ?? 0))).toBe(true)
    const arrived = new Promise((resolve) => second.on('message', ({ data }) => resolve(data)))
    connectCall(first.getSnapshot(), first.send).send('a new connection')
    expect(await arrived).toBe('a new connection')
  }, 90_000)
})

describe('ICE restart on request', () => {
  const ufrag = (pc: RTCPeerConnection | undefined) =>
    /a=ice-ufrag:(\S+)/.exec(pc?.localDescription?.sdp ?? '')?.[1]

  it('should renegotiate with fresh ICE credentials and keep the call up', async () => {
    const { server, url } = await startServer()
    const counted = countingPlatform()
    const first = nodeCall(url, { roomId: 'restart', platform: counted.platform })
    const second = nodeCall(url, { roomId: 'restart' })
    try {
      connectCall(first.getSnapshot(), first.send).join()
      await reach(first, 'ready')
      connectCall(second.getSnapshot(), second.send).join()
      await Promise.all([reach(first, 'connected'), reach(second, 'connected')])
      // The connection that negotiated (the first in the room also built a spare to answer).
      const [pc] = counted.live()
      const madeBefore = counted.made.length
      const before = ufrag(pc)
      expect(before).toBeTruthy()

      connectCall(first.getSnapshot(), first.send).restartIce()
      await until(() => {
        const after = ufrag(pc)
        return after !== undefined && after !== before && pc?.signalingState === 'stable'
      })
      const arrived = new Promise((resolve) => first.on('message', ({ data }) => resolve(data)))
      connectCall(second.getSnapshot(), second.send).send('after restart')
      expect(await arrived).toBe('after restart')
      expect(connectCall(first.getSnapshot(), first.send).status).toBe('connected')
      expect(counted.made).toHaveLength(madeBefore)
    } finally {
      first.stop()
      second.stop()
      await server.close()
    }
  })
})
