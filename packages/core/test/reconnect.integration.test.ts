import type { SignalingServer } from '@duet/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { waitFor } from 'xstate'
import { type CallActor, connectCall } from '../src'
import { countingPlatform, nodeCall, reach, startServer } from './support/nodePeers'
import { startTcpProxy } from './support/tcpProxy'

describe('signaling that drops and comes back', () => {
  let server: SignalingServer
  let url: string
  const calls: CallActor[] = []
  const cleanups: (() => Promise<void>)[] = []

  beforeEach(async () => {
    ;({ server, url } = await startServer())
  })

  afterEach(async () => {
    for (const call of calls.splice(0)) call.stop()
    for (const cleanup of cleanups.splice(0)) await cleanup()
    await server.close()
  })

  it('should rejoin as the same peer and keep the peer connection that carries data', async () => {
    const port = Number(new URL(url).port)
    const proxy = await startTcpProxy(port)
    cleanups.push(proxy.close)
    const mine = countingPlatform()
    const theirs = countingPlatform()
    const flaky = nodeCall(proxy.url, { roomId: 'flaky', platform: mine.platform })
    const steady = nodeCall(url, { roomId: 'flaky', platform: theirs.platform })
    calls.push(flaky, steady)
    connectCall(flaky.getSnapshot(), flaky.send).join()
    await reach(flaky, 'ready')
    connectCall(steady.getSnapshot(), steady.send).join()
    await Promise.all([reach(flaky, 'connected'), reach(steady, 'connected')])
    const peerId = flaky.getSnapshot().context.peerId
    const madeBefore = [mine.made.length, theirs.made.length]

    proxy.cut()
    await waitFor(flaky, (s) => !s.context.signalingConnected, { timeout: 5000 })
    proxy.restore()
    await waitFor(flaky, (s) => s.context.signalingConnected, { timeout: 10_000 })

    expect(flaky.getSnapshot().context.peerId).toBe(peerId)
    expect(steady.getSnapshot().context.peers.map((peer) => peer.peerId)).toEqual([peerId])
    expect([mine.made.length, theirs.made.length]).toEqual(madeBefore)
    expect(mine.open() + theirs.open()).toBe(2)

    // Signaling works again: an ICE restart negotiates through it, and data still flows.
    connectCall(flaky.getSnapshot(), flaky.send).restartIce()
    const arrived = new Promise((resolve) => steady.on('message', ({ data }) => resolve(data)))
    connectCall(flaky.getSnapshot(), flaky.send).send('back again')
    expect(await arrived).toBe('back again')
    expect(connectCall(steady.getSnapshot(), steady.send).status).toBe('connected')
  }, 30_000)
})
