const SETUP = /^a=setup:(active|passive|actpass|holdconn)\r?$/m

/** The `a=setup:` value a description states, if any (`active` is the DTLS client). */
export function setupRole(sdp: string | undefined): string | null {
  return (sdp && SETUP.exec(sdp)?.[1]) || null
}

/**
 * Whether we are the DTLS client of the association the descriptions in force set up: our
 * answer said `active`, or we offered and the other side's answer said `passive`.
 */
export function isDtlsClient(local: string | undefined, remote: string | undefined): boolean {
  const ours = setupRole(local)
  return ours === 'active' || (ours === 'actpass' && setupRole(remote) === 'passive')
}

/**
 * An answer to a renegotiation, made to keep the DTLS roles the connection already has.
 *
 * Firefox answers every offer with `a=setup:active`, even one renegotiating a connection on
 * which it is the DTLS server (an ICE restart made by the side that answered the first offer).
 * Chromium and Safari refuse to switch an established role ("Failed to set SSL role for the
 * transport"), leaving their offer unanswered and the connection stuck in `have-local-offer`.
 * The association goes on (RFC 8842 §5.5 keeps its roles), so when we are its client the
 * answer's `active` can only mean `passive`. `local` and `remote` are the descriptions in force.
 */
export function keepDtlsRole(
  answerSdp: string,
  local: string | undefined,
  remote: string | undefined,
): string {
  if (!isDtlsClient(local, remote) || setupRole(answerSdp) !== 'active') return answerSdp
  return answerSdp.replace(/^a=setup:active(\r?)$/gm, 'a=setup:passive$1')
}
