import type { CallStatus } from '@duet/core'

const CAPTIONS: Record<CallStatus, string> = {
  idle: 'Not in the call yet',
  media: 'Camera ready: join when you are',
  ready: 'Waiting for someone to join',
  offering: 'Connecting…',
  answering: 'Connecting…',
  connected: 'In call',
  reconnecting: 'Connection lost, reconnecting…',
  ended: 'You left the call',
  failed: 'Call failed',
}

/** A plain-words caption for a call status, shown next to the raw status. */
export function statusCaption(status: CallStatus, acquiringMedia: boolean): string {
  // `media` covers both getUserMedia in flight and the preview that follows.
  return acquiringMedia ? 'Starting camera…' : CAPTIONS[status]
}
