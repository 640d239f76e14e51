import { ErrorCode, type JoinSuccess } from '@duet/core/protocol'
import { SignJWT } from 'jose'
import { afterEach, describe, expect, it } from 'vitest'
import { createSignalingServer } from '../src/createSignalingServer'
import { type Client, eventsOf, flush, next, request, useHarness } from './harness'
import { type JwksServer, signingKey, startJwksServer } from './support/jwks'

// Regression tests for #13, finding 6 (JWT checked only at connect, no aud/iss, weak secrets
// accepted, no leeway, HS256 only) and the TURN part of finding 3.

const SECRET = 'a-shared-secret-of-at-least-32-bytes!'
const seconds = () => Math.floor(Date.now() / 1000)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** An HMAC token signed with jose, its expiry given as seconds since epoch. */
function hmacToken(
  claims: Record<string, unknown>,
  exp: number,
  { alg = 'HS256', secret = SECRET } = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg })
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(secret))
}

describe('JWT verification (#13)', () => {
  const { start, connect } = useHarness()
  const jwksServers: JwksServer[] = []
  afterEach(async () => {
    await Promise.all(jwksServers.splice(0).map((server) => server.close()))
  })

  /** The code a connection is refused with, or 'connected'. */
  const outcome = (url: string, token: string) =>
    connect(url, { auth: { token } }).then(
      () => 'connected',
      (error: Error & { data?: { code?: string } }) => error.data?.code ?? error.message,
    )

  it.each(['RS256', 'PS256', 'ES256', 'EdDSA'])(
    'should accept %s tokens whose key a JWKS publishes, fetch the set once, and refuse other keys',
    async (alg) => {
      const key = await signingKey(alg)
      const jwks = await startJwksServer([key.jwk])
      jwksServers.push(jwks)
      const { url } = await start({ jwksUrl: jwks.url })
      const client = await connect(url, {
        auth: { token: await key.sign({ sub: 'ann', rooms: ['lobby'] }) },
      })
      expect(await client.emitWithAck('room:join', { roomId: 'lobby' })).toMatchObject({
        ok: true,
      })
      expect(await outcome(url, await key.sign({ sub: 'bob', rooms: '*' }))).toBe('connected')
      expect(jwks.fetches()).toBe(1)
      const stranger = await signingKey(alg, key.kid)
      expect(await outcome(url, await stranger.sign({ rooms: '*' }))).toBe(ErrorCode.UNAUTHORIZED)
    },
  )

  it('should accept tokens of a PEM public key, and refuse an HS256 token keyed with that PEM', async () => {
    const key = await signingKey('ES256')
    const { url } = await start({ jwtPublicKey: key.pem })
    expect(await outcome(url, await key.sign({ rooms: '*' }))).toBe('connected')
    // Algorithm confusion: the public key, known to everyone, used as an HMAC secret.
    const confused = await hmacToken({ rooms: '*' }, seconds() + 60, { secret: key.pem })
    expect(await outcome(url, confused)).toBe(ErrorCode.UNAUTHORIZED)
  })

  it.each(['HS256', 'HS384', 'HS512'])('should accept %s with a shared secret', async (alg) => {
    const { url } = await start({ jwtSecret: SECRET })
    expect(await outcome(url, await hmacToken({ rooms: '*' }, seconds() + 60, { alg }))).toBe(
      'connected',
    )
  })

  it('should refuse a secret shorter than 32 bytes', () => {
    expect(() =>
      createSignalingServer({ port: 0, host: '127.0.0.1', jwtSecret: 'x'.repeat(31) }),
    ).toThrow(/at least 32 bytes/)
  })

  it('should check aud and iss when configured', async () => {
    const { url } = await start({ jwtSecret: SECRET, jwtAudience: 'duet', jwtIssuer: 'https://id' })
    const exp = seconds() + 60
    const claims = { rooms: '*', aud: 'duet', iss: 'https://id' }
    expect(await outcome(url, await hmacToken(claims, exp))).toBe('connected')
    for (const wrong of [
      { ...claims, aud: 'other-app' },
      { ...claims, iss: 'https://evil' },
      { rooms: '*', iss: 'https://id' },
    ]) {
      expect(await outcome(url, await hmacToken(wrong, exp))).toBe(ErrorCode.UNAUTHORIZED)
    }
  })

  it('should allow 30 s of clock skew on exp, and not more', async () => {
    const { url } = await start({ jwtSecret: SECRET })
    expect(await outcome(url, await hmacToken({ rooms: '*' }, seconds() - 20))).toBe('connected')
    expect(await outcome(url, await hmacToken({ rooms: '*' }, seconds() - 40))).toBe(
      ErrorCode.UNAUTHORIZED,
    )
  })

  it('should refuse the connection with INTERNAL when the JWKS cannot be fetched', async () => {
    const jwks = await startJwksServer([])
    const gone = jwks.url
    await jwks.close()
    const key = await signingKey('ES256')
    const { url } = await start({ jwksUrl: gone })
    expect(await outcome(url, await key.sign({ rooms: '*' }))).toBe(ErrorCode.INTERNAL)
  })
})

describe('a connection lives as long as its token (#13)', () => {
  const { start, connect } = useHarness()

  /** A token valid for about `ms` more on the server: its exp lies in the 30 s leeway. */
  const tokenFor = (ms: number, sub = 'ann') =>
    hmacToken({ sub, rooms: '*' }, seconds() - 30 + Math.ceil(ms / 1000))

  async function joinedWith(url: string, token: string): Promise<[Client, JoinSuccess]> {
    const client = await connect(url, { auth: { token } })
    const join = (await client.emitWithAck('room:join', { roomId: 'lobby' })) as JoinSuccess
    expect(join.ok).toBe(true)
    return [client, join]
  }

  it('should warn with auth:expiring, then send auth:expired and disconnect, freeing the place', async () => {
    const { url } = await start({ jwtSecret: SECRET })
    const [ann, annJoin] = await joinedWith(url, await tokenFor(2000))
    const [bob] = await joinedWith(url, await tokenFor(300_000, 'bob'))
    const expiring = next(ann, 'auth:expiring')
    const left = new Promise((resolve) => bob.once('peer:left', resolve))
    const dropped = new Promise((resolve) => ann.once('disconnect', resolve))
    expect((await expiring).expiresAt).toBeGreaterThan(Date.now())
    expect(await dropped).toBe('io server disconnect')
    expect(eventsOf(ann, 'auth:expired')).toHaveLength(1)
    expect(await left).toEqual({ peerId: annJoin.peerId, reason: 'left' })
  }, 10_000)

  it('should keep a connection that presents a fresh token with auth:refresh', async () => {
    const { url } = await start({ jwtSecret: SECRET })
    const [ann] = await joinedWith(url, await tokenFor(2000))
    const [bob, bobJoin] = await joinedWith(url, await tokenFor(300_000, 'bob'))
    await next(ann, 'auth:expiring')
    const fresh = await tokenFor(300_000)
    expect(await ann.emitWithAck('auth:refresh', { token: fresh })).toEqual({
      ok: true,
      expiresAt: expect.any(Number),
    })
    await sleep(2500)
    expect(ann.connected).toBe(true)
    expect(
      await ann.emitWithAck('signal:send', {
        to: bobJoin.peerId,
        signal: { type: 'candidate', candidate: null },
      }),
    ).toEqual({ ok: true })
    await flush(bob)
    expect(eventsOf(bob, 'peer:left')).toEqual([])
  }, 10_000)

  it('should refuse a refreshed token for another subject or an invalid one, and still expire', async () => {
    const { url } = await start({ jwtSecret: SECRET })
    const [ann] = await joinedWith(url, await tokenFor(2000))
    const dropped = new Promise((resolve) => ann.once('disconnect', resolve))
    const unauthorized = {
      ok: false,
      error: { code: ErrorCode.UNAUTHORIZED, message: expect.any(String) },
    }
    expect(await request(ann, 'auth:refresh', { token: await tokenFor(300_000, 'eve') })).toEqual(
      unauthorized,
    )
    expect(await request(ann, 'auth:refresh', { token: 'not.a.jwt' })).toEqual(unauthorized)
    expect(await request(ann, 'auth:refresh', { token: 42 })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.INVALID_PAYLOAD },
    })
    expect(await dropped).toBe('io server disconnect')
  }, 10_000)

  it('should issue TURN credentials only for the token’s remaining life, and none once it ran out', async () => {
    const turn = { turnSecret: 'turn-secret', turnUrls: ['turn:turn.example:3478'] }
    const { url } = await start({ jwtSecret: SECRET, ...turn, turnTtlSeconds: 86_400 })
    const token = await tokenFor(1500)
    const [ann, join] = await joinedWith(url, token)
    const expiresAt =
      (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp + 30) * 1000
    expect(join.iceServersExpireAt).toBeLessThanOrEqual(expiresAt)
    const refreshed = await ann.emitWithAck('ice:refresh')
    expect(refreshed).toMatchObject({ ok: true })
    expect(refreshed.ok && refreshed.iceServersExpireAt).toBeLessThanOrEqual(expiresAt)
    await new Promise((resolve) => ann.once('disconnect', resolve))
    // Gone with its token: nothing left to ask TURN credentials with.
    expect(ann.connected).toBe(false)
  }, 10_000)
})
