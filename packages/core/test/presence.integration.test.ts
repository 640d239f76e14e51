import type { SignalingServer } from '@duet/server'
import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from 'xstate'
import { type CallActor, connectCall } from '../src'
import { countingPlatform, nodeCall, reach, startServer } from './support/nodePeers'
import { startTcpProxy } from './support/tcpProxy'

// What one peer's view says of the other when the other's signaling connection goes: away at
// once (with when its place is freed), present again when it resumes. Node peers, real server,
// a real TCP proxy in front of it for the peer whose connection breaks.

const HEARTBEAT = { pingIntervalMs: 500, pingTimeoutMs: 500 }

describe('presence of a peer whose signaling connection drops', () => {
  let server: SignalingServer | undefined
  const calls: CallActor[] = []
  const cleanups: (() => Promise<void>)[] = []

  afterEach(async () => {
    for (const call of calls.splice(0)) call.stop()
    for (const cleanup of cleanups.splice(0)) await cleanup()
    await server?.close()
  })

  /** Two connected Node peers; `flaky` reaches the server through a TCP proxy. */
  async function pair(room: string, options: Parameters<typeof startServer>[0] = {}) {
    const started = await startServer(options)
    server = started.server
    const proxy = await startTcpProxy(Number(new URL(started.url).port))
    cleanups.push(proxy.close)
    const mine = countingPlatform()
    const flaky = nodeCall(proxy.url, { roomId: room, platform: mine.platform })
    const steady = nodeCall(started.url, { roomId: room })
    calls.push(flaky, steady)
    connectCall(flaky.getSnapshot(), flaky.send).join()
    await reach(flaky, 'ready')
    connectCall(steady.getSnapshot(), steady.send).join()
    await Promise.all([reach(flaky, 'connected'), reach(steady, 'connected')])
    const flakyId = flaky.getSnapshot().context.peerId
    const viewOfFlaky = () => steady.getSnapshot().context.peers.find((p) => p.peerId === flakyId)
    return { proxy, flaky, steady, mine, viewOfFlaky }
  }

  it('should show the peer away at once when its connection is cut, and present when it resumes', async () => {
    const { proxy, flaky, steady, mine, viewOfFlaky } = await pair('presence-cut')
    expect(viewOfFlaky()).toMatchObject({ presence: 'present', awaySince: null, heldUntil: null })
    const madeBefore = mine.made.length

    const cutAt = Date.now()
    proxy.cut()
    await waitFor(steady, () => viewOfFlaky()?.presence === 'away', { timeout: 5000 })
    console.log(`cut: away after ${Date.now() - cutAt} ms`)
    const away = viewOfFlaky()
    // The server's default window: the place is held 30 s from the drop.
    expect(away?.heldUntil).toBeGreaterThanOrEqual(cutAt + 30_000)
    expect(away?.awaySince).toBeGreaterThanOrEqual(cutAt)
    // Media and data go peer to peer: the call itself is still up.
    expect(connectCall(steady.getSnapshot(), steady.send).status).toBe('connected')

    proxy.restore()
    await waitFor(steady, () => viewOfFlaky()?.presence === 'present', { timeout: 10_000 })
    expect(viewOfFlaky()).toMatchObject({ awaySince: null, heldUntil: null })
    await waitFor(flaky, (s) => s.context.signalingConnected, { timeout: 10_000 })
    // Same peer, same connection: nothing was built again.
    expect(mine.made.length).toBe(madeBefore)
    expect(connectCall(steady.getSnapshot(), steady.send).status).toBe('connected')
  }, 30_000)

  it('should show the peer away within the heartbeat bound when its traffic is silently dropped', async () => {
    const { proxy, steady, viewOfFlaky } = await pair('presence-blackhole', HEARTBEAT)
    const silencedAt = Date.now()
    proxy.blackhole()
    // No FIN ever comes: only the server's missed pong tells, within interval + timeout.
    const bound = HEARTBEAT.pingIntervalMs + HEARTBEAT.pingTimeoutMs
    await waitFor(steady, () => viewOfFlaky()?.presence === 'away', { timeout: bound + 4000 })
    console.log(`blackhole: away after ${Date.now() - silencedAt} ms (heartbeat bound ${bound} ms)`)
    expect(viewOfFlaky()?.heldUntil).toEqual(expect.any(Number))
  }, 30_000)
})
