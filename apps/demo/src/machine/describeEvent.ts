import type { CallEvent } from '@duet/core'

/** Any event object, as inspection hands it over. */
export interface EventLike {
  type: string
}

// xstate's own events (init, stop, timers, child outcomes) share this prefix.
type XStateEvent = EventLike & { type: `xstate.${string}` }

type Signal = Extract<CallEvent, { type: 'PEER.SIGNAL' }>['signal']

function signalWords(signal: Signal): string {
  if (signal.type !== 'candidate') return signal.type
  return signal.candidate === null ? 'end of candidates' : 'candidate'
}

function xstateWords(type: string, machine: string): string | null {
  if (type === 'xstate.init') return `${machine} started`
  if (type === 'xstate.stop') return `${machine} stopped`
  // `xstate.after.<delay>.<state id>`: a delay the machine declares by name ran out.
  const after = /^xstate\.after\.([^.]+)\./.exec(type)
  if (after) return `${after[1] === 'iceGrace' ? 'grace period' : after[1]} over`
  const outcome = /^xstate\.(done|error)\.actor\.(.+)$/.exec(type)
  if (outcome) return `${outcome[2]} ${outcome[1] === 'done' ? 'finished' : 'failed'}`
  return null
}

/**
 * A call event in plain words; null for events too frequent to list (stats, file progress).
 * The call actor only ever receives `CallEvent`s and xstate's own events: `setup()` types them.
 */
export function describeCallEvent(event: EventLike): string | null {
  const e = event as CallEvent | XStateEvent
  switch (e.type) {
    case 'CALL.START':
      return 'camera requested'
    case 'CALL.JOIN':
      return 'join requested'
    case 'CALL.HANG_UP':
      return 'hung up'
    case 'CALL.SEND':
      return 'message sent'
    case 'CALL.SEND_FILE':
      return `file offered: ${e.name}`
    case 'CALL.CANCEL_FILE':
      return 'file cancelled'
    case 'CALL.RESTART_ICE':
      return 'ICE restart requested'
    case 'MEDIA.READY':
      return 'local media ready'
    case 'MEDIA.FAILED':
      return `local media failed: ${e.error.code}`
    case 'MEDIA.MIC':
      return `microphone ${e.enabled ? 'on' : 'off'}`
    case 'MEDIA.CAMERA':
      return `camera ${e.enabled ? 'on' : 'off'}`
    case 'MEDIA.SCREEN':
      return `screen sharing ${e.enabled ? 'on' : 'off'}`
    case 'MEDIA.DEVICE':
      return `${e.kind === 'audioinput' ? 'microphone' : 'camera'} switched`
    case 'MEDIA.UPDATED':
      return 'local media updated'
    case 'MEDIA.TRACK':
      return `${e.kind} track ${e.track ? 'replaced' : 'removed'}`
    case 'MEDIA.DEVICES':
      return `devices listed (${e.devices.length})`
    case 'MEDIA.ERROR':
      return `media error: ${e.error.code}`
    case 'ROOM.JOINED':
      // The offer made ahead may have ridden along the join: no separate "offer sent" follows.
      return `joined the room (${e.result.peers.length} already there)${e.result.offeredTo ? ', offer sent with the join' : ''}`
    case 'ROOM.FAILED':
      return `join failed: ${e.error.code}`
    case 'ROOM.REJOINED':
      return 'place gone: joined the room afresh'
    case 'ROOM.LOST':
      return `room lost: ${e.error.code}`
    case 'ICE.REFRESHED':
      return 'ICE servers refreshed'
    case 'SIGNALING.LOST':
      return `signaling lost (${e.reason})`
    case 'SIGNALING.RESTORED':
      return 'signaling restored: place resumed'
    case 'PAGE.RESUMED':
      return 'page woke up'
    case 'NETWORK.OFFLINE':
      return 'network offline'
    case 'NETWORK.ONLINE':
      return 'network back online'
    case 'NETWORK.CHANGED':
      return 'network changed'
    case 'SIGNALING.ERROR':
      return `signaling error: ${e.error.code}`
    case 'PEER.JOINED':
      return 'peer joined'
    case 'PEER.LEFT':
      return 'peer left'
    case 'SIGNAL.RECEIVED':
      return `${signalWords(e.signal)} received`
    case 'PEER.SIGNAL':
      return `${signalWords(e.signal)} sent`
    case 'PEER.STATUS':
      return `peer ${e.status}${e.reason ? ` (${e.reason})` : ''}`
    case 'PEER.STREAM':
      return 'remote media received'
    case 'PEER.MESSAGE':
      return 'message received'
    case 'PEER.FILE':
      return e.report.kind === 'progress' ? null : `file ${e.report.kind}: ${e.report.name}`
    case 'PEER.ERROR':
      return `peer error: ${e.message}`
    // Once a second per peer: listing them would bury everything else.
    case 'PEER.STATS':
      return null
    default:
      return xstateWords(e.type, 'call') ?? e.type
  }
}

/**
 * A peer negotiation event in plain words. A negotiation passes every other event on under the
 * call's own name, so the call lists those; the peer lists only how its connection moves.
 */
export function describePeerEvent(event: EventLike): string | null {
  if (event.type === 'PC.OFFERING') return 'making an offer'
  if (event.type === 'PC.ANSWERING') return 'answering an offer'
  if (event.type === 'PC.STATE') {
    const state = Reflect.get(event, 'state')
    return `connection: ${typeof state === 'string' ? state : 'unknown'}`
  }
  return xstateWords(event.type, 'negotiation')
}

/**
 * A command a peer gives its connection actor, in plain words; null for routine ones. An ICE
 * restart shows here because the negotiation also starts restarts by itself while it heals.
 */
export function describePeerCommand(event: EventLike): string | null {
  return event.type === 'CALL.RESTART_ICE' ? 'ICE restart' : null
}
