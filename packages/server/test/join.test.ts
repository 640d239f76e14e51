import { ErrorCode } from '@duet/core/protocol'
import { describe, expect, it } from 'vitest'
import { expectNothingReceived, flush, next, received, useHarness } from './harness'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

describe('room:join', () => {
  const { start, connect, joined } = useHarness()

  it('should ack the room, a server-generated peer id, no peers, the ICE servers and the capacity', async () => {
    const iceServers = [{ urls: 'stun:stun.example.org:3478' }]
    const { url } = await start({ iceServers })
    const client = await connect(url)
    const result = await client.emitWithAck('room:join', { roomId: 'lobby' })
    expect(result).toEqual({
      ok: true,
      roomId: 'lobby',
      peerId: expect.stringMatching(UUID),
      peers: [],
      iceServers,
      capacity: 2,
      resumeToken: expect.stringMatching(/^\d+\.[\w-]+\.[\w-]{43}$/),
    })
    if (result.ok) expect(result.peerId).not.toBe(client.id)
  })

  it('should hand out no ICE servers by default', async () => {
    const { url } = await start()
    const { join } = await joined(url, 'lobby')
    expect(join.iceServers).toEqual([])
  })

  it('should show the second joiner the first and tell the first about the second', async () => {
    const { url } = await start()
    const first = await joined(url, 'lobby')
    const announced = next(first.client, 'peer:joined')
    const second = await joined(url, 'lobby')
    expect(second.join.peers).toEqual([{ peerId: first.join.peerId }])
    expect(second.join.peerId).not.toBe(first.join.peerId)
    expect(await announced).toEqual({ peerId: second.join.peerId })
    // The newcomer is not told about itself.
    await expectNothingReceived(second.client)
  })

  it('should list peers oldest first when the room holds more than two', async () => {
    const { url } = await start({ maxPeersPerRoom: 3 })
    const a = await joined(url, 'trio')
    const b = await joined(url, 'trio')
    const c = await joined(url, 'trio')
    expect(c.join.peers).toEqual([{ peerId: a.join.peerId }, { peerId: b.join.peerId }])
    expect(c.join.capacity).toBe(3)
  })

  it('should refuse a join beyond capacity with ROOM_FULL and change nothing inside', async () => {
    const { url } = await start()
    const a = await joined(url, 'lobby')
    const b = await joined(url, 'lobby')
    await flush(a.client)
    const before = received(a.client).length
    const late = await connect(url)
    const result = await late.emitWithAck('room:join', { roomId: 'lobby' })
    expect(result).toEqual({
      ok: false,
      error: { code: ErrorCode.ROOM_FULL, message: expect.any(String) },
    })
    await flush(a.client)
    expect(received(a.client)).toHaveLength(before)
    await expectNothingReceived(b.client)
    // The refused socket is free to join elsewhere.
    const elsewhere = await late.emitWithAck('room:join', { roomId: 'other' })
    expect(elsewhere).toMatchObject({ ok: true, peers: [] })
  })

  it('should honour maxPeersPerRoom', async () => {
    const { url } = await start({ maxPeersPerRoom: 3 })
    await joined(url, 'trio')
    await joined(url, 'trio')
    const third = await joined(url, 'trio')
    expect(third.join.capacity).toBe(3)
    const fourth = await connect(url)
    const result = await fourth.emitWithAck('room:join', { roomId: 'trio' })
    expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.ROOM_FULL } })
  })

  it('should refuse a second join from the same socket with ALREADY_IN_ROOM', async () => {
    const { url } = await start()
    const { client } = await joined(url, 'lobby')
    const again = await client.emitWithAck('room:join', { roomId: 'lobby' })
    expect(again).toMatchObject({ ok: false, error: { code: ErrorCode.ALREADY_IN_ROOM } })
    const other = await client.emitWithAck('room:join', { roomId: 'other' })
    expect(other).toMatchObject({ ok: false, error: { code: ErrorCode.ALREADY_IN_ROOM } })
    // Neither refused join took a slot.
    const { join } = await joined(url, 'other')
    expect(join.peers).toEqual([])
    const second = await joined(url, 'lobby')
    expect(second.join.peers).toHaveLength(1)
  })

  it('should keep rooms apart', async () => {
    const { url } = await start()
    const a = await joined(url, 'one')
    const b = await joined(url, 'two')
    expect(b.join.peers).toEqual([])
    await expectNothingReceived(a.client)
  })
})

describe('room:leave and disconnect', () => {
  const { start, connect, joined } = useHarness()

  it('should tell the others when a peer leaves and free its slot', async () => {
    const { url } = await start()
    const a = await joined(url, 'lobby')
    const b = await joined(url, 'lobby')
    const left = next(a.client, 'peer:left')
    expect(await b.client.emitWithAck('room:leave')).toEqual({ ok: true })
    expect(await left).toEqual({ peerId: b.join.peerId, reason: 'left' })
    const c = await joined(url, 'lobby')
    expect(c.join.peers).toEqual([{ peerId: a.join.peerId }])
    // The leaver hears nothing more from the room it left.
    await expectNothingReceived(b.client)
  })

  it('should tell the others at once when a peer disconnects on purpose and free its slot', async () => {
    const { url } = await start()
    const a = await joined(url, 'lobby')
    const b = await joined(url, 'lobby')
    const left = next(a.client, 'peer:left')
    b.client.disconnect()
    expect(await left).toEqual({ peerId: b.join.peerId, reason: 'left' })
    const c = await joined(url, 'lobby')
    expect(c.join.peers).toEqual([{ peerId: a.join.peerId }])
  })

  it('should let a peer join again after leaving, under a new peer id', async () => {
    const { url } = await start()
    const { client, join } = await joined(url, 'lobby')
    await client.emitWithAck('room:leave')
    const again = await client.emitWithAck('room:join', { roomId: 'lobby' })
    expect(again).toMatchObject({ ok: true, peers: [] })
    if (again.ok) expect(again.peerId).not.toBe(join.peerId)
  })

  it('should answer NOT_IN_ROOM to a leave outside a room', async () => {
    const { url } = await start()
    const client = await connect(url)
    const result = await client.emitWithAck('room:leave')
    expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.NOT_IN_ROOM } })
    const { client: joinedClient } = await joined(url, 'lobby')
    await joinedClient.emitWithAck('room:leave')
    const twice = await joinedClient.emitWithAck('room:leave')
    expect(twice).toMatchObject({ ok: false, error: { code: ErrorCode.NOT_IN_ROOM } })
  })
})
