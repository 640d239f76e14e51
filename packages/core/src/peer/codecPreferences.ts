/**
 * Puts the preferred codecs (MIME types such as `video/VP9`) first on every transceiver of their
 * kind, ahead of negotiation, keeping every other codec after them so a peer that cannot decode
 * the preferred ones still connects. Where `setCodecPreferences` or the receiver's capabilities
 * are missing, or none of the preferred codecs is supported, the browser's order stays.
 */
export function applyCodecPreferences(
  pc: RTCPeerConnection,
  preferred: readonly string[],
  Receiver: Pick<typeof RTCRtpReceiver, 'getCapabilities'> | undefined = globalThis.RTCRtpReceiver,
): void {
  if (preferred.length === 0 || typeof Receiver?.getCapabilities !== 'function') return
  const wanted = preferred.map((mimeType) => mimeType.toLowerCase())
  const rank = (codec: RTCRtpCodec) => {
    const index = wanted.indexOf(codec.mimeType.toLowerCase())
    return index === -1 ? wanted.length : index
  }
  for (const transceiver of pc.getTransceivers()) {
    if (typeof transceiver.setCodecPreferences !== 'function') return
    const kind = transceiver.receiver.track.kind
    const codecs = Receiver.getCapabilities(kind)?.codecs ?? []
    if (!codecs.some((codec) => rank(codec) < wanted.length)) continue
    // A stable sort: the rest keep the browser's order (and the RTX/RED/FEC entries their place).
    const ordered = [...codecs].sort((a, b) => rank(a) - rank(b))
    try {
      transceiver.setCodecPreferences(ordered)
    } catch {
      // A stack that refuses the list (a capability it lists but won't take) negotiates its own.
    }
  }
}
