import { ErrorCode, MAX_SDP_LENGTH, type OfferSignal } from '@duet/core/protocol'
import { describe, expect, it } from 'vitest'
import { expectNothingReceived, flush, next, raw, received, useHarness } from './harness'

const offer: OfferSignal = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' }

/**
 * A joiner's offer made ahead rides along `room:join`: the oldest peer gets it right behind the
 * joined notice, and the join's result names who got it, so the joiner does not send it again.
 */
describe('room:join with an offer', () => {
  const { start, connect, joined } = useHarness()

  it('should hand the offer to the only peer right behind peer:joined, and say so in the result', async () => {
    const { url } = await start()
    const a = await joined(url, 'duo')
    const b = await connect(url)
    const join = await b.emitWithAck('room:join', { roomId: 'duo', offer })
    expect(join).toMatchObject({ ok: true, offeredTo: a.join.peerId })
    if (!join.ok) return
    await flush(a.client)
    expect(received(a.client)).toEqual([
      { event: 'peer:joined', args: [{ peerId: join.peerId }] },
      { event: 'signal:receive', args: [{ from: join.peerId, signal: offer }] },
    ])
  })

  it('should hand it to the oldest peer only in a group', async () => {
    const { url } = await start({ maxPeersPerRoom: 4 })
    const a = await joined(url, 'group')
    const b = await joined(url, 'group')
    const c = await connect(url)
    const offered = next(a.client, 'signal:receive')
    const join = await c.emitWithAck('room:join', { roomId: 'group', offer })
    expect(join).toMatchObject({ ok: true, offeredTo: a.join.peerId })
    expect(await offered).toEqual({ from: join.ok ? join.peerId : '', signal: offer })
    await flush(b.client)
    expect(received(b.client).map((entry) => entry.event)).toEqual(['peer:joined'])
  })

  it('should drop the offer of a joiner alone in its room and name nobody', async () => {
    const { url } = await start()
    const a = await connect(url)
    const join = await a.emitWithAck('room:join', { roomId: 'empty', offer })
    expect(join.ok).toBe(true)
    expect(join).not.toHaveProperty('offeredTo')
    // The next one to join is told of a, and gets no stale offer.
    const b = await joined(url, 'empty')
    await expectNothingReceived(b.client)
  })

  it.each([
    ['an answer', { type: 'answer', sdp: 'v=0\r\n' }],
    ['a candidate', { type: 'candidate', candidate: null }],
    ['an empty SDP', { type: 'offer', sdp: '' }],
    ['an oversized SDP', { type: 'offer', sdp: 'x'.repeat(MAX_SDP_LENGTH + 1) }],
    ['a string', 'v=0'],
  ])('should refuse a join carrying %s with INVALID_PAYLOAD, joining nothing', async (_, bad) => {
    const { url } = await start()
    const a = await joined(url, 'strict')
    const b = await connect(url)
    const join = await raw(b).emitWithAck('room:join', { roomId: 'strict', offer: bad })
    expect(join).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_PAYLOAD } })
    expect((join as { error: { message: string } }).error.message).toMatch(/offer|sdp|signal/)
    await expectNothingReceived(a.client)
  })

  it('should relay the validated offer only, leaving extra fields behind', async () => {
    const { url } = await start()
    const a = await joined(url, 'clean')
    const b = await connect(url)
    const offered = next(a.client, 'signal:receive')
    await raw(b).emitWithAck('room:join', {
      roomId: 'clean',
      offer: { ...offer, from: 'forged', extra: 'x'.repeat(100) },
    })
    expect((await offered).signal).toEqual(offer)
  })
})
