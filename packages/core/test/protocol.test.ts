import { describe, expect, it } from 'vitest'
import {
  MAX_AUTH_TOKEN_LENGTH,
  MAX_SDP_LENGTH,
  parseAuthRefresh,
  parseJoinRequest,
  parseOutgoingSignal,
  parsePeerAway,
  parseSignal,
} from '../src/protocol'

describe('protocol validators', () => {
  it('should accept a well-formed join and reject bad room ids', () => {
    expect(parseJoinRequest({ roomId: 'abc_DEF-123' })).toEqual({
      ok: true,
      value: { roomId: 'abc_DEF-123' },
    })
    for (const roomId of ['', 'a b', 'x'.repeat(65), 'ü', 42, null, undefined, '../etc']) {
      const parsed = parseJoinRequest({ roomId })
      expect(parsed.ok).toBe(false)
      if (!parsed.ok) expect(parsed.error.code).toBe('INVALID_PAYLOAD')
    }
    expect(parseJoinRequest('abc').ok).toBe(false)
    expect(parseJoinRequest([]).ok).toBe(false)
  })

  it('should ignore inherited keys so __proto__ payloads cannot smuggle a room id', () => {
    const payload = JSON.parse('{"__proto__": {"roomId": "sneaky"}}')
    expect(parseJoinRequest(payload).ok).toBe(false)
  })

  it('should copy only known fields of a signal', () => {
    expect(parseSignal({ type: 'offer', sdp: 'v=0', extra: 'dropped' })).toEqual({
      ok: true,
      value: { type: 'offer', sdp: 'v=0' },
    })
    expect(
      parseSignal({ type: 'candidate', candidate: { candidate: 'candidate:1', sdpMid: '0' } }),
    ).toEqual({
      ok: true,
      value: {
        type: 'candidate',
        candidate: { candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: null },
      },
    })
    expect(parseSignal({ type: 'candidate', candidate: null })).toEqual({
      ok: true,
      value: { type: 'candidate', candidate: null },
    })
  })

  it('should reject oversized or malformed signals with a message naming the field', () => {
    const cases = [
      { type: 'offer', sdp: 'x'.repeat(MAX_SDP_LENGTH + 1) },
      { type: 'answer', sdp: '' },
      { type: 'rollback' },
      { type: 'candidate', candidate: { candidate: 5 } },
      { type: 'candidate', candidate: { candidate: 'c', sdpMLineIndex: -1 } },
    ]
    for (const signal of cases) {
      const parsed = parseSignal(signal)
      expect(parsed.ok).toBe(false)
      if (!parsed.ok) expect(parsed.error.message).toMatch(/^signal\./)
    }
    expect(parseOutgoingSignal({ to: '', signal: { type: 'offer', sdp: 'v=0' } }).ok).toBe(false)
    expect(parseOutgoingSignal({ to: 'peer', signal: { type: 'offer', sdp: 'v=0' } }).ok).toBe(true)
  })
})

describe('resume claims', () => {
  it('should keep a well-formed resume claim and reject a malformed one', () => {
    expect(parseJoinRequest({ roomId: 'r', resume: { peerId: 'p', token: 't' } })).toEqual({
      ok: true,
      value: { roomId: 'r', resume: { peerId: 'p', token: 't' } },
    })
    for (const resume of [
      null,
      'x',
      { peerId: 'p' },
      { peerId: '', token: 't' },
      { peerId: 'p', token: 'x'.repeat(513) },
    ]) {
      expect(parseJoinRequest({ roomId: 'r', resume }).ok).toBe(false)
    }
  })
})

describe('auth refresh (#13)', () => {
  it('should accept a token up to the length an identity provider issues, and nothing else', () => {
    const token = 'a'.repeat(MAX_AUTH_TOKEN_LENGTH)
    expect(parseAuthRefresh({ token, extra: 1 })).toEqual({ ok: true, value: { token } })
    for (const payload of [
      null,
      'token',
      {},
      { token: '' },
      { token: 42 },
      { token: `${token}a` },
    ]) {
      expect(parseAuthRefresh(payload)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_PAYLOAD' },
      })
    }
  })
})

describe('parsePeerAway', () => {
  it('should keep a well-formed notice and drop what it does not know', () => {
    expect(parsePeerAway({ peerId: 'p1', heldUntil: 1_700_000_000_000, extra: 1 })).toEqual({
      ok: true,
      value: { peerId: 'p1', heldUntil: 1_700_000_000_000 },
    })
  })

  it('should refuse a notice without a peer id or a usable time with INVALID_PAYLOAD', () => {
    for (const payload of [
      null,
      { heldUntil: 1 },
      { peerId: '', heldUntil: 1 },
      { peerId: 'p1' },
      { peerId: 'p1', heldUntil: Number.NaN },
      { peerId: 'p1', heldUntil: '1' },
    ]) {
      expect(parsePeerAway(payload)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_PAYLOAD' },
      })
    }
  })
})
