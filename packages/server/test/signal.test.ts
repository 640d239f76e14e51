import { ErrorCode, type Signal } from '@duet/core/protocol'
import { describe, expect, it } from 'vitest'
import { eventsOf, expectNothingReceived, flush, next, raw, received, useHarness } from './harness'

const offer: Signal = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' }

describe('signal:send', () => {
  const { start, connect, joined } = useHarness()

  it('should relay a signal to its target only, from the sender peer id', async () => {
    const { url } = await start({ maxPeersPerRoom: 3 })
    const a = await joined(url, 'trio')
    const b = await joined(url, 'trio')
    const c = await joined(url, 'trio')
    const delivered = next(b.client, 'signal:receive')
    const ack = await a.client.emitWithAck('signal:send', { to: b.join.peerId, signal: offer })
    expect(ack).toEqual({ ok: true })
    expect(await delivered).toEqual({ from: a.join.peerId, signal: offer })
    await expectNothingReceived(c.client)
    // a only ever heard about b and c joining.
    expect(received(a.client).map((entry) => entry.event)).toEqual(['peer:joined', 'peer:joined'])
  })

  it.each<Signal>([
    { type: 'answer', sdp: 'v=0\r\n' },
    { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host' } },
    { type: 'candidate', candidate: null },
  ])('should relay a $type signal as parsed', async (signal) => {
    const { url } = await start()
    const a = await joined(url, 'lobby')
    const b = await joined(url, 'lobby')
    const delivered = next(a.client, 'signal:receive')
    await b.client.emitWithAck('signal:send', { to: a.join.peerId, signal })
    const message = await delivered
    expect(message.from).toBe(b.join.peerId)
    expect(message.signal).toMatchObject(signal)
  })

  it('should relay the validated copy, leaving extra fields behind', async () => {
    const { url } = await start()
    const a = await joined(url, 'lobby')
    const b = await joined(url, 'lobby')
    const delivered = next(a.client, 'signal:receive')
    const ack = await raw(b.client).emitWithAck('signal:send', {
      to: a.join.peerId,
      from: 'forged',
      signal: { ...offer, extra: 'x'.repeat(1000) },
    })
    expect(ack).toEqual({ ok: true })
    expect(await delivered).toEqual({ from: b.join.peerId, signal: offer })
  })

  it('should refuse a relay to a peer of another room with PEER_NOT_FOUND and deliver nothing', async () => {
    const { url } = await start()
    const a = await joined(url, 'one')
    const b = await joined(url, 'one')
    const c = await joined(url, 'two')
    const ack = await c.client.emitWithAck('signal:send', { to: a.join.peerId, signal: offer })
    expect(ack).toMatchObject({ ok: false, error: { code: ErrorCode.PEER_NOT_FOUND } })
    // a's only message is b's arrival; b got nothing.
    await expectNothingReceived(b.client)
    expect(received(a.client).map((entry) => entry.event)).toEqual(['peer:joined'])
    await expectNothingReceived(c.client)
  })

  it('should refuse unknown peer ids and the sender itself with PEER_NOT_FOUND', async () => {
    const { url } = await start()
    const a = await joined(url, 'lobby')
    const b = await joined(url, 'lobby')
    for (const to of ['nobody', a.join.peerId, b.client.id ?? 'socket-id']) {
      const ack = await a.client.emitWithAck('signal:send', { to, signal: offer })
      expect(ack).toMatchObject({ ok: false, error: { code: ErrorCode.PEER_NOT_FOUND } })
    }
    await expectNothingReceived(b.client)
  })

  it('should refuse a relay to a peer that left with PEER_NOT_FOUND', async () => {
    const { url } = await start()
    const a = await joined(url, 'lobby')
    const b = await joined(url, 'lobby')
    await b.client.emitWithAck('room:leave')
    const ack = await a.client.emitWithAck('signal:send', { to: b.join.peerId, signal: offer })
    expect(ack).toMatchObject({ ok: false, error: { code: ErrorCode.PEER_NOT_FOUND } })
  })

  it('should answer NOT_IN_ROOM to a signal before joining and after leaving', async () => {
    const { url } = await start()
    const a = await joined(url, 'lobby')
    const stranger = await connect(url)
    const before = await stranger.emitWithAck('signal:send', { to: a.join.peerId, signal: offer })
    expect(before).toMatchObject({ ok: false, error: { code: ErrorCode.NOT_IN_ROOM } })
    const b = await joined(url, 'lobby')
    await b.client.emitWithAck('room:leave')
    const after = await b.client.emitWithAck('signal:send', { to: a.join.peerId, signal: offer })
    expect(after).toMatchObject({ ok: false, error: { code: ErrorCode.NOT_IN_ROOM } })
    await flush(a.client)
    expect(eventsOf(a.client, 'signal:receive')).toEqual([])
  })
})
