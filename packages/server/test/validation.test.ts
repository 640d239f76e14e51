import {
  ErrorCode,
  MAX_CANDIDATE_LENGTH,
  MAX_MESSAGE_BYTES,
  MAX_ROOM_ID_LENGTH,
  MAX_SDP_LENGTH,
} from '@duet/core/protocol'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Logger } from '../src/ops/logger'
import { MemoryRoomStore } from '../src/rooms/memoryRoomStore'
import { eventsOf, expectNothingReceived, flush, raw, request, useHarness } from './harness'
import { countOf } from './support/metricValue'

const invalid = {
  ok: false,
  error: { code: ErrorCode.INVALID_PAYLOAD, message: expect.any(String) },
}

// JSON.parse keeps `__proto__` as an own key, exactly as the server's parser sees it on the wire.
const protoJoin = JSON.parse('{"__proto__": {"roomId": "lobby"}}')
const protoSignal = (to: string) =>
  JSON.parse(`{"to": "${to}", "signal": {"__proto__": {"type": "offer", "sdp": "v=0"}}}`)

describe('invalid payloads', () => {
  const { start, connect, joined } = useHarness()

  it.each<[string, unknown[]]>([
    ['no payload', []],
    ['null', [null]],
    ['a number', [42]],
    ['a string', ['lobby']],
    ['an array', [['lobby']]],
    ['an empty object', [{}]],
    ['a numeric room id', [{ roomId: 7 }]],
    ['an empty room id', [{ roomId: '' }]],
    ['a room id with spaces', [{ roomId: 'my room' }]],
    ['a room id with a slash', [{ roomId: '../etc' }]],
    ['a too long room id', [{ roomId: 'x'.repeat(MAX_ROOM_ID_LENGTH + 1) }]],
    ['a __proto__ room id', [protoJoin]],
  ])('should answer INVALID_PAYLOAD to a join with %s and change nothing', async (_, args) => {
    const { url } = await start()
    const inside = await joined(url, 'lobby')
    const client = await connect(url)
    expect(await request(client, 'room:join', ...args)).toEqual(invalid)
    await expectNothingReceived(inside.client)
    // Not half-joined: the socket can still join, and the room still has one free slot.
    expect(await client.emitWithAck('room:join', { roomId: 'lobby' })).toMatchObject({ ok: true })
  })

  it.each<[string, (to: string) => unknown]>([
    ['no payload', () => undefined],
    ['a string', (to) => to],
    ['no target', () => ({ signal: { type: 'offer', sdp: 'v=0' } })],
    ['a numeric target', () => ({ to: 1, signal: { type: 'offer', sdp: 'v=0' } })],
    ['a too long target', () => ({ to: 'x'.repeat(200), signal: { type: 'offer', sdp: 'v=0' } })],
    ['no signal', (to) => ({ to })],
    ['an unknown signal type', (to) => ({ to, signal: { type: 'bye' } })],
    ['a numeric sdp', (to) => ({ to, signal: { type: 'offer', sdp: 1 } })],
    ['an empty sdp', (to) => ({ to, signal: { type: 'answer', sdp: '' } })],
    [
      'a too long sdp',
      (to) => ({ to, signal: { type: 'offer', sdp: 'x'.repeat(MAX_SDP_LENGTH + 1) } }),
    ],
    [
      'a candidate string',
      (to) => ({ to, signal: { type: 'candidate', candidate: 'candidate:1' } }),
    ],
    [
      'a too long candidate',
      (to) => ({
        to,
        signal: {
          type: 'candidate',
          candidate: { candidate: 'c'.repeat(MAX_CANDIDATE_LENGTH + 1) },
        },
      }),
    ],
    [
      'a negative m-line index',
      (to) => ({
        to,
        signal: { type: 'candidate', candidate: { candidate: 'c', sdpMLineIndex: -1 } },
      }),
    ],
    ['a __proto__ signal', protoSignal],
  ])('should answer INVALID_PAYLOAD to a signal with %s and relay nothing', async (_, payload) => {
    const { url } = await start()
    const a = await joined(url, 'lobby')
    const b = await joined(url, 'lobby')
    expect(await request(b.client, 'signal:send', payload(a.join.peerId))).toEqual(invalid)
    await flush(a.client)
    expect(eventsOf(a.client, 'signal:receive')).toEqual([])
    await expectNothingReceived(b.client)
    // The server keeps serving the same socket.
    const ok = await b.client.emitWithAck('signal:send', {
      to: a.join.peerId,
      signal: { type: 'offer', sdp: 'v=0' },
    })
    expect(ok).toEqual({ ok: true })
  })

  it('should ignore a join without an ack and change nothing', async () => {
    const { url } = await start()
    const inside = await joined(url, 'lobby')
    const client = await connect(url)
    raw(client).emit('room:join', { roomId: 'lobby' })
    raw(client).emit('room:join', { roomId: 'lobby' }, 'not a function')
    await flush(client)
    await expectNothingReceived(inside.client)
    expect(await client.emitWithAck('room:join', { roomId: 'lobby' })).toMatchObject({ ok: true })
  })

  it('should ignore a signal or a leave without an ack', async () => {
    const { url } = await start()
    const a = await joined(url, 'lobby')
    const b = await joined(url, 'lobby')
    raw(b.client).emit('signal:send', { to: a.join.peerId, signal: { type: 'offer', sdp: 'v=0' } })
    raw(b.client).emit('room:leave')
    await flush(b.client)
    await flush(a.client)
    expect(eventsOf(a.client, 'signal:receive')).toEqual([])
    // Still in the room: the ignored leave did not free anything.
    const again = await b.client.emitWithAck('room:join', { roomId: 'other' })
    expect(again).toMatchObject({ ok: false, error: { code: ErrorCode.ALREADY_IN_ROOM } })
  })

  it('should answer unknown events INVALID_PAYLOAD when they carry an ack, count them and keep serving', async () => {
    const { server, url } = await start()
    const client = await connect(url)
    expect(await request(client, 'room:destroy', { roomId: 'lobby' })).toEqual(invalid)
    raw(client).emit('__proto__', {})
    raw(client).emit('toString')
    expect(await request(client, 'constructor')).toEqual(invalid)
    expect(await client.emitWithAck('room:join', { roomId: 'lobby' })).toMatchObject({ ok: true })
    expect(await countOf(server.metrics.unknownEvents)).toBe(4)
    expect(await countOf(server.metrics.errors, { code: 'INVALID_PAYLOAD' })).toBe(4)
  })

  it('should disconnect a client whose message exceeds MAX_MESSAGE_BYTES and keep serving others', async () => {
    // No resume window: the dropped peer's place is freed at once, so a newcomer can take it.
    const { url } = await start({ resumeWindowMs: 0 })
    const a = await joined(url, 'lobby')
    const b = await joined(url, 'lobby')
    const dropped = new Promise<string>((resolve) => b.client.once('disconnect', resolve))
    raw(b.client).emit(
      'signal:send',
      { to: a.join.peerId, signal: { type: 'offer', sdp: 'x'.repeat(MAX_MESSAGE_BYTES) } },
      () => {},
    )
    expect(await dropped).toBe('transport close')
    const c = await joined(url, 'lobby')
    expect(c.join.peers).toEqual([{ peerId: a.join.peerId }])
  })
})

describe('unexpected failures', () => {
  const { start, connect } = useHarness()

  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('should answer INTERNAL without details, log the error and keep serving', async () => {
    const logger: Logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() }
    const { url } = await start({ logger })
    const boom = new Error('secret database password in stack')
    vi.spyOn(MemoryRoomStore.prototype, 'join').mockImplementationOnce(() => {
      throw boom
    })
    const client = await connect(url)
    const result = await client.emitWithAck('room:join', { roomId: 'lobby' })
    expect(result).toEqual({
      ok: false,
      error: { code: ErrorCode.INTERNAL, message: 'internal server error' },
    })
    expect(JSON.stringify(result)).not.toContain('secret')
    expect(logger.error).toHaveBeenCalledWith('room:join handler failed', { error: boom })
    expect(await client.emitWithAck('room:join', { roomId: 'lobby' })).toMatchObject({ ok: true })
  })
})
