import type { SignalingServer } from '@duet/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type CallActor, connectCall } from '../src'
import { countingPlatform, nodeCall, reach, startServer, until } from './support/nodePeers'

describe('a call between two Node peers over a real server', () => {
  let server: SignalingServer
  let url: string
  const calls: CallActor[] = []

  beforeEach(async () => {
    ;({ server, url } = await startServer())
  })

  afterEach(async () => {
    for (const call of calls.splice(0)) call.stop()
    await server.close()
  })

  const join = (roomId: string) => {
    const call = nodeCall(url, { roomId })
    calls.push(call)
    connectCall(call.getSnapshot(), call.send).join()
    return call
  }

  it('should connect both peers and deliver data-channel messages both ways', async () => {
    const first = join('room-a')
    await reach(first, 'ready')
    const second = join('room-a')
    await Promise.all([reach(first, 'connected'), reach(second, 'connected')])

    const received = new Promise<unknown>((resolve) =>
      first.on('message', ({ data, peerId }) => resolve({ data, peerId })),
    )
    connectCall(second.getSnapshot(), second.send).send('hello from second')
    expect(await received).toEqual({
      data: 'hello from second',
      peerId: second.getSnapshot().context.peerId,
    })

    const reply = new Promise<unknown>((resolve) =>
      second.on('message', ({ data }) => resolve(data)),
    )
    connectCall(first.getSnapshot(), first.send).send(new Uint8Array([1, 2, 3]).buffer)
    expect(new Uint8Array((await reply) as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3]))
  })

  it('should return the remaining peer to waiting when the other hangs up', async () => {
    const first = join('room-b')
    await reach(first, 'ready')
    const second = join('room-b')
    await reach(first, 'connected')
    connectCall(second.getSnapshot(), second.send).hangUp()
    expect(connectCall(second.getSnapshot(), second.send).status).toBe('ended')
    await reach(first, 'ready')
    expect(first.getSnapshot().context.peers).toEqual([])
  })

  it('should fail the join with ROOM_FULL when the room holds two already', async () => {
    const first = join('room-c')
    await reach(first, 'ready')
    join('room-c')
    await reach(first, 'connected')
    const third = join('room-c')
    await reach(third, 'failed')
    expect(third.getSnapshot().context.error?.code).toBe('ROOM_FULL')
    expect(connectCall(first.getSnapshot(), first.send).status).toBe('connected')
  })

  it('should leave no peer connection open after a hang up or a stopped actor', async () => {
    const mine = countingPlatform()
    const theirs = countingPlatform()
    const first = nodeCall(url, { roomId: 'room-d', platform: mine.platform })
    const second = nodeCall(url, { roomId: 'room-d', platform: theirs.platform })
    calls.push(first, second)
    connectCall(first.getSnapshot(), first.send).join()
    await reach(first, 'ready')
    connectCall(second.getSnapshot(), second.send).join()
    await Promise.all([reach(first, 'connected'), reach(second, 'connected')])
    // The first in the room rebuilt its spare connection to answer instead of offering.
    expect([mine.made.length, theirs.made.length]).toEqual([2, 1])
    expect(mine.open() + theirs.open()).toBe(2)

    const negotiated = theirs.live()
    connectCall(first.getSnapshot(), first.send).hangUp()
    expect(mine.open()).toBe(0)
    await reach(second, 'ready')
    // Its connection to the one who left is closed; a fresh spare waits to answer the next.
    expect(negotiated.map((pc) => pc.signalingState)).toEqual(['closed'])
    expect(theirs.open()).toBe(1)

    const third = nodeCall(url, { roomId: 'room-d', platform: mine.platform })
    calls.push(third)
    connectCall(third.getSnapshot(), third.send).join()
    await reach(second, 'connected')
    expect(theirs.open()).toBe(1)
    second.stop()
    expect(theirs.open()).toBe(0)
  })
})

describe('a server that cannot be reached', () => {
  it('should fail the join at once with signaling-unreachable', async () => {
    // A port that was free a moment ago: nothing listens there.
    const { server, url } = await startServer()
    await server.close()
    const call = nodeCall(url, { roomId: 'nobody-home' })
    const started = Date.now()
    connectCall(call.getSnapshot(), call.send).join()
    await reach(call, 'failed', 5000)
    expect(call.getSnapshot().context.error?.code).toBe('signaling-unreachable')
    expect(Date.now() - started).toBeLessThan(5000)
    call.stop()
  })

  it('should fail the join at once when the server went away during the preview', async () => {
    const { server, url } = await startServer()
    const call = nodeCall(url, { roomId: 'gone-since' })
    connectCall(call.getSnapshot(), call.send).startPreview()
    // The preview's socket is connected (Socket.io's handshake done, not only the engine's, which
    // the server counts a round trip earlier); then the server goes.
    await until(() => server.io.of('/').sockets.size === 1, 5000, 'the preview connected')
    await server.close()
    await until(() => !call.getSnapshot().context.signalingConnected, 5000, 'the drop noticed')
    const started = Date.now()
    connectCall(call.getSnapshot(), call.send).join()
    await reach(call, 'failed', 8000)
    expect(call.getSnapshot().context.error?.code).toBe('signaling-unreachable')
    // Well before the 10 s ack timeout: the next refused reconnect answers it.
    expect(Date.now() - started).toBeLessThan(8000)
    call.stop()
  })
})
