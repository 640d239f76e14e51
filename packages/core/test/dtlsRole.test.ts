import { describe, expect, it } from 'vitest'
import { isDtlsClient, keepDtlsRole } from '../src/peer/dtlsRole'

const sdp = (setup: string) =>
  [
    'v=0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    `a=setup:${setup}`,
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    `a=setup:${setup}`,
    '',
  ].join('\r\n')

describe('keeping the DTLS roles of a connection that renegotiates', () => {
  it('should turn a Firefox answer that claims the client role into passive when we already are the client', () => {
    // We answered the first offer as the client, then offered an ICE restart.
    const kept = keepDtlsRole(sdp('active'), sdp('active'), sdp('actpass'))
    expect(kept).toBe(sdp('passive'))
  })

  it('should keep doing so on later restarts, once our own offer is the description in force', () => {
    expect(isDtlsClient(sdp('actpass'), sdp('passive'))).toBe(true)
    expect(keepDtlsRole(sdp('active'), sdp('actpass'), sdp('passive'))).toBe(sdp('passive'))
  })

  it('should leave the answer alone when we are the server or nothing is established yet', () => {
    expect(keepDtlsRole(sdp('active'), sdp('actpass'), sdp('active'))).toBe(sdp('active'))
    expect(keepDtlsRole(sdp('active'), undefined, undefined)).toBe(sdp('active'))
    expect(keepDtlsRole(sdp('passive'), sdp('active'), sdp('actpass'))).toBe(sdp('passive'))
  })
})
