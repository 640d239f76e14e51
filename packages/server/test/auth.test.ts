import { createHmac } from 'node:crypto'
import { ErrorCode, MAX_AUTH_TOKEN_LENGTH } from '@duet/core/protocol'
import { describe, expect, it } from 'vitest'
import { signHs256 } from '../src/auth/jwt'
import { createJwtVerifier } from '../src/auth/jwtVerifier'
import { request, useHarness } from './harness'

const SECRET = 'test-jwt-secret-of-at-least-32-bytes'
const now = () => Math.floor(Date.now() / 1000)

/** Signs with any header, to forge what a careless verifier would accept. */
function forge(header: object, claims: object, secret = SECRET): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const body = `${part(header)}.${part(claims)}`
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`
}

describe('createJwtVerifier', () => {
  const verify = createJwtVerifier({ secret: SECRET })
  const valid = { sub: 'alice', rooms: ['lobby'], exp: now() + 60 }

  it('should accept a token it signed and return its claims and expiry, with the leeway', async () => {
    expect(await verify(signHs256(valid, SECRET))).toEqual({
      ok: true,
      claims: valid,
      expiresAt: (valid.exp + 30) * 1000,
    })
  })

  it.each<[string, () => string, string]>([
    ['another secret', () => signHs256(valid, `${SECRET}!`), 'signature'],
    [
      'alg none',
      () => `${forge({ alg: 'none' }, valid).split('.').slice(0, 2).join('.')}.`,
      'algorithm',
    ],
    ['alg HS512 over an HS256 MAC', () => forge({ alg: 'HS512' }, valid), 'signature'],
    [
      'a tampered payload',
      () => {
        const [header, , signature] = signHs256(valid, SECRET).split('.')
        const payload = Buffer.from(JSON.stringify({ ...valid, rooms: '*' })).toString('base64url')
        return `${header}.${payload}.${signature}`
      },
      'signature',
    ],
    ['no expiry', () => signHs256({ rooms: '*' }, SECRET), 'claim exp'],
    [
      'an expiry past the leeway',
      () => signHs256({ rooms: '*', exp: now() - 60 }, SECRET),
      'expired',
    ],
    [
      'a string expiry',
      () => signHs256({ rooms: '*', exp: String(now() + 60) }, SECRET),
      'claim exp',
    ],
    [
      'nbf beyond the leeway',
      () => signHs256({ rooms: '*', exp: now() + 600, nbf: now() + 120 }, SECRET),
      'claim nbf',
    ],
    ['two parts', () => 'a.b', 'malformed'],
    ['garbage', () => '!!.??.**', 'malformed'],
    ['a non-object payload', () => forge({ alg: 'HS256' }, [1, 2]), 'malformed'],
    ['an oversized token', () => 'a'.repeat(MAX_AUTH_TOKEN_LENGTH + 1), 'malformed'],
  ])('should refuse %s', async (_name, token, reason) => {
    expect(await verify(token())).toEqual({ ok: false, reason })
  })
})

describe('authentication', () => {
  const { start, connect } = useHarness()

  const refusal = async (url: string, auth?: Record<string, unknown>) => {
    const error = await connect(url, auth ? { auth } : {}).then(
      () => undefined,
      (reason: unknown) => reason as Error & { data?: unknown },
    )
    return error
  }

  it('should refuse a connection without a valid JWT with UNAUTHORIZED', async () => {
    const { url } = await start({ jwtSecret: SECRET })
    for (const auth of [
      undefined,
      { token: 42 },
      { token: signHs256({ rooms: '*', exp: now() - 60 }, SECRET) },
    ]) {
      const error = await refusal(url, auth)
      expect(error?.message).toBe('unauthorized')
      expect(error?.data).toEqual({ code: ErrorCode.UNAUTHORIZED })
    }
    expect((await refusal(url, { token: signHs256({ exp: now() + 60 }, SECRET) }))?.data).toEqual({
      code: ErrorCode.UNAUTHORIZED,
    })
  })

  it('should let a token holder join only the rooms its claim names', async () => {
    const { url } = await start({ jwtSecret: SECRET })
    const token = signHs256({ sub: 'alice', rooms: ['lobby'], exp: now() + 60 }, SECRET)
    const client = await connect(url, { auth: { token } })
    expect(await request(client, 'room:join', { roomId: 'vip' })).toEqual({
      ok: false,
      error: { code: ErrorCode.UNAUTHORIZED, message: expect.any(String) },
    })
    expect(await client.emitWithAck('room:join', { roomId: 'lobby' })).toMatchObject({ ok: true })
    const anywhere = await connect(url, {
      auth: { token: signHs256({ rooms: '*', exp: now() + 60 }, SECRET) },
    })
    expect(await anywhere.emitWithAck('room:join', { roomId: 'vip' })).toMatchObject({ ok: true })
  })

  it('should run an authenticate hook with the handshake and honour the rooms it allows', async () => {
    const seen: unknown[] = []
    const { url } = await start({
      authenticate: async (handshake) => {
        seen.push(handshake.auth)
        return handshake.auth.user === 'bob' ? { subject: 'bob', rooms: ['bobs-room'] } : false
      },
    })
    expect((await refusal(url, { user: 'eve' }))?.data).toEqual({ code: ErrorCode.UNAUTHORIZED })
    const bob = await connect(url, { auth: { user: 'bob' } })
    expect(await request(bob, 'room:join', { roomId: 'lobby' })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.UNAUTHORIZED },
    })
    expect(await bob.emitWithAck('room:join', { roomId: 'bobs-room' })).toMatchObject({ ok: true })
    expect(seen).toEqual([{ user: 'eve' }, { user: 'bob' }])
  })

  it('should refuse with INTERNAL, and no details, when the hook throws', async () => {
    const { url } = await start({
      authenticate: () => {
        throw new Error('database password in stack')
      },
    })
    const error = await refusal(url)
    expect(error?.data).toEqual({ code: ErrorCode.INTERNAL })
    expect(JSON.stringify(error)).not.toContain('password')
  })

  it('should refuse both a hook and a JWT secret at once', async () => {
    await expect(start({ jwtSecret: SECRET, authenticate: () => ({}) })).rejects.toThrow(TypeError)
  })
})
