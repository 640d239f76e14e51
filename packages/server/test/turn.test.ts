import { createHmac } from 'node:crypto'
import type { Failure, IceRefreshSuccess } from '@duet/core/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { turnCredential } from '../src/auth/turnCredentials'
import { request, useHarness } from './harness'
import { type CoturnProcess, startCoturn } from './support/coturn'
import {
  gather,
  type SignalingPeer,
  selectedCandidateType,
  signalingPeer,
} from './support/wrtcPeer'

const SECRET = 'turn-test-secret'

describe('TURN REST credentials', () => {
  const { start, connect, joined } = useHarness()
  // TURN goes to authenticated peers only; this hook lets everyone in with a grant that never ends.
  const turn = {
    turnSecret: SECRET,
    turnUrls: ['turn:turn.example:3478'],
    turnTtlSeconds: 600,
    authenticate: () => ({}),
  }

  it('should compute coturn\u2019s username and HMAC-SHA1 credential', () => {
    const { server, expiresAt } = turnCredential(
      { secret: SECRET, urls: ['turn:a'], ttlSeconds: 60 },
      'peer-1',
      1_700_000_000_500,
    )
    expect(server.username).toBe('1700000060:peer-1')
    expect(server.credential).toBe(
      createHmac('sha1', SECRET).update('1700000060:peer-1').digest('base64'),
    )
    expect(expiresAt).toBe(1_700_000_060_000)
  })

  it('should put credentials for the peer and their expiry in every join result', async () => {
    const { url } = await start({ ...turn, iceServers: [{ urls: 'stun:stun.example:3478' }] })
    const before = Date.now()
    const { join } = await joined(url, 'lobby')
    expect(join.iceServers).toEqual([
      { urls: 'stun:stun.example:3478' },
      {
        urls: ['turn:turn.example:3478'],
        username: expect.stringMatching(new RegExp(`^\\d+:${join.peerId}$`)),
        credential: expect.any(String),
      },
    ])
    expect(join.iceServersExpireAt).toBeGreaterThanOrEqual(
      Math.floor(before / 1000) * 1000 + 600_000,
    )
    expect(join.iceServersExpireAt).toBeLessThanOrEqual(Date.now() + 600_000)
  })

  // #18: a client asks while its camera starts, so the connection it builds ahead has TURN.
  it('should hand out credentials on ice:refresh before a join, naming the socket', async () => {
    const { url } = await start(turn)
    const early = await connect(url)
    const fetched = (await request(early, 'ice:refresh')) as IceRefreshSuccess | Failure
    expect(fetched).toMatchObject({ ok: true, iceServersExpireAt: expect.any(Number) })
    if (!fetched.ok) return
    expect(fetched.iceServers[0]).toMatchObject({
      urls: ['turn:turn.example:3478'],
      username: expect.stringMatching(new RegExp(`^\\d+:${early.id}$`)),
    })
  })

  it('should hand out fresh credentials on ice:refresh inside a room, naming the peer', async () => {
    const { url } = await start(turn)
    const { client, join } = await joined(url, 'lobby')
    const refreshed = await client.emitWithAck('ice:refresh')
    expect(refreshed).toMatchObject({ ok: true, iceServersExpireAt: expect.any(Number) })
    if (!refreshed.ok) return
    expect(refreshed.iceServers[0]?.username).toMatch(new RegExp(`:${join.peerId}$`))
  })

  it('should carry no expiry without TURN', async () => {
    const { url } = await start()
    const { client, join } = await joined(url, 'lobby')
    expect(join).not.toHaveProperty('iceServersExpireAt')
    expect(await client.emitWithAck('ice:refresh')).toEqual({ ok: true, iceServers: [] })
  })
})

describe('against a real coturn', () => {
  const { start } = useHarness()
  let coturn: CoturnProcess
  const peers: SignalingPeer[] = []

  beforeAll(async () => {
    coturn = await startCoturn(SECRET)
  })

  afterAll(async () => {
    for (const peer of peers.splice(0)) peer.close()
    await coturn?.stop()
  })

  it('should connect a relay-only call with the credentials of real join results', async () => {
    const { url } = await start({
      turnSecret: SECRET,
      turnUrls: [coturn.url],
      authenticate: () => ({}),
    })
    const first = await signalingPeer(url, 'relayed', { iceTransportPolicy: 'relay' })
    peers.push(first)
    const second = await signalingPeer(url, 'relayed', { iceTransportPolicy: 'relay' })
    peers.push(second)
    const [a, b] = await Promise.all([first.channel, second.channel])
    const received = new Promise((resolve) => {
      a.onmessage = ({ data }) => resolve(data)
    })
    b.send('through the relay')
    expect(await received).toBe('through the relay')
    expect(await selectedCandidateType(second.pc)).toBe('relay')
    expect(await selectedCandidateType(first.pc)).toBe('relay')
  }, 15_000)

  it('should get relay candidates with a valid credential and none with an expired or forged one', async () => {
    const settings = { secret: SECRET, urls: [coturn.url], ttlSeconds: 60 }
    const valid = turnCredential(settings, 'peer').server
    const expired = turnCredential(settings, 'peer', Date.now() - 120_000).server
    const forged = turnCredential({ ...settings, secret: 'not-the-secret' }, 'peer').server
    const [withValid, withExpired, withForged] = await Promise.all([
      gather([valid]),
      gather([expired], 2000),
      gather([forged], 2000),
    ])
    expect(withValid.some((line) => line.includes(' typ relay'))).toBe(true)
    // coturn answers 401 to the allocation: nothing to relay through.
    expect(withExpired).toEqual([])
    expect(withForged).toEqual([])
    // coturn's own word for it (a 401 on the wire).
    expect(coturn.child.output()).toMatch(/check_stun_auth: Cannot find credentials/)
  }, 15_000)
})
