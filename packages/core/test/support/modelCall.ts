import { expect, vi } from 'vitest'
import { createActor, fromCallback, type SnapshotFrom } from 'xstate'
import type { SignalingCommand, SignalingSessionInput } from '../../src/call/call.actors'
import { callMachine } from '../../src/call/call.machine'
import type { CallEmitted, CallEvent, CallOptions } from '../../src/call/call.types'
import type { LocalMediaInput, localMedia } from '../../src/media/localMedia'
import type { MediaCommand, MediaReport } from '../../src/media/media.types'
import type { peerMachine } from '../../src/peer/peer.machine'
import type { PeerCommand, PeerInput, PeerStatus } from '../../src/peer/peer.types'
import { isRoomId } from '../../src/protocol'
import type { CallError } from '../../src/shared/shared.types'
import {
  type AudioLevelsReport,
  type AudioMeterInput,
  LOCAL_SOURCE,
} from '../../src/stats/audioSources'
import { OFFER, STATS, STREAM } from './modelFixtures'
import { type Coverage, type ModelOptions, recordMicrostep } from './modelGraph'

export type CallSnapshot = SnapshotFrom<typeof callMachine>

/** Peers the model lets into the room: two are enough for every way their statuses add up. */
const PEER_IDS = ['alice', 'bob'] as const
// A fixed time, so the model's states do not depend on the clock.
const HELD_UNTIL = 1_000_000

const PEER_STATUSES: PeerStatus[] = [
  'new',
  'offering',
  'answering',
  'connected',
  'reconnecting',
  'failed',
]

const NO_MEDIA = { stream: null, micEnabled: true, cameraEnabled: false, screenSharing: false }
const ERROR: CallError = { code: 'media-failed', message: 'scripted' }

/** Input configurations: each guard on the options (fallback, a default room) both ways. */
export const CALL_INPUTS: { name: string; input: CallOptions }[] = [
  { name: 'with a default room', input: { signaling: 'http://unused.invalid', roomId: 'room-1' } },
  {
    name: 'receive-only fallback, no default room',
    input: { signaling: 'http://unused.invalid', receiveOnlyFallback: true },
  },
]

const joined = (snapshot: CallSnapshot, type: 'ROOM.JOINED' | 'ROOM.REJOINED', peers: string[]) =>
  ({
    type,
    result: {
      ok: true,
      roomId: snapshot.context.roomId ?? 'room-1',
      peerId: 'me',
      peers: peers.map((peerId) => ({ peerId })),
      iceServers: [{ urls: 'stun:127.0.0.1:3478' }],
      capacity: 4,
      resumeToken: 'token',
    },
  }) satisfies CallEvent

/**
 * What can happen to a call in `snapshot`, each event from the party that really sends it: the
 * user, or a child actor the call has spawned. Payloads come from the context, so a peer event
 * names a peer that exists and a join answers the room that was asked for.
 */
export function callEvents(snapshot: CallSnapshot): CallEvent[] {
  if (snapshot.status !== 'active') return []
  const { context, children } = snapshot
  if (!context.signalingConnected || context.rejoins > 0) return recoveryEvents(snapshot)
  const events: CallEvent[] = [
    { type: 'CALL.START' },
    { type: 'CALL.JOIN' },
    { type: 'CALL.JOIN', roomId: 'room-2' },
    { type: 'CALL.JOIN', roomId: 'not a room/id' },
    { type: 'CALL.HANG_UP' },
    { type: 'CALL.SEND', data: 'hi' },
    { type: 'CALL.SEND_FILE', transferId: 't1', file: new Blob(['x']), name: 'x.txt' },
    { type: 'CALL.CANCEL_FILE', transferId: 't1' },
    { type: 'CALL.RESTART_ICE' },
    { type: 'CALL.VIDEO_QUALITY', quality: { maxBitrate: 150_000 } },
    { type: 'MEDIA.MIC', enabled: false },
    { type: 'MEDIA.CAMERA', enabled: true },
    { type: 'MEDIA.DEVICE', kind: 'audioinput', deviceId: 'mic-2' },
    { type: 'MEDIA.SCREEN', enabled: true },
    { type: 'PAGE.RESUMED' },
    { type: 'NETWORK.OFFLINE' },
    { type: 'NETWORK.ONLINE' },
    { type: 'NETWORK.CHANGED' },
  ]
  if ('media' in children) {
    // Local media answers its acquisition once, then only reports changes.
    const reports: CallEvent[] = snapshot.matches({ media: 'acquiring' })
      ? [
          { type: 'MEDIA.READY', media: NO_MEDIA },
          { type: 'MEDIA.FAILED', error: ERROR },
        ]
      : [
          { type: 'MEDIA.UPDATED', media: NO_MEDIA },
          { type: 'MEDIA.TRACK', kind: 'video', track: null },
          { type: 'MEDIA.DEVICES', devices: [] },
          { type: 'MEDIA.ERROR', error: ERROR },
        ]
    events.push(...reports)
  }
  if ('audioMeter' in children) {
    const loud = { level: 0.2, speaking: true }
    const peers = Object.fromEntries(context.peers.map((peer) => [peer.peerId, loud]))
    events.push({ type: 'AUDIO.LEVELS', local: loud, peers, activeSpeaker: LOCAL_SOURCE })
  }
  if ('signaling' in children) {
    // The session connects with the media and answers the join once it is asked; room notices
    // only come once it is in the room.
    if (context.peerId === null) {
      events.push(
        { type: 'SIGNALING.LOST', reason: 'transport close' },
        { type: 'SIGNALING.RESTORED' },
        // Fetched while the camera starts, ahead of the join (#18).
        { type: 'ICE.REFRESHED', iceServers: [{ urls: 'turn:127.0.0.1', username: 'u' }] },
      )
    }
    if (snapshot.matches({ room: 'joining' })) {
      events.push(joined(snapshot, 'ROOM.JOINED', []), joined(snapshot, 'ROOM.JOINED', ['alice']), {
        type: 'ROOM.FAILED',
        error: { code: 'ROOM_FULL', message: 'room is full' },
      })
    } else if (context.peerId !== null) {
      const known = context.peers.map((peer) => peer.peerId)
      const strangers = PEER_IDS.filter((peerId) => !known.includes(peerId))
      events.push(
        ...strangers.flatMap((peerId): CallEvent[] => [
          { type: 'PEER.JOINED', peerId },
          // A signal that beats its peer:joined, through a misbehaving relay.
          { type: 'SIGNAL.RECEIVED', from: peerId, signal: OFFER },
        ]),
        ...known.flatMap((peerId): CallEvent[] => [
          { type: 'PEER.LEFT', peerId },
          { type: 'PEER.AWAY', peerId, heldUntil: HELD_UNTIL },
          { type: 'PEER.BACK', peerId },
          { type: 'SIGNAL.RECEIVED', from: peerId, signal: OFFER },
        ]),
        { type: 'SIGNALING.LOST', reason: 'transport close' },
        { type: 'SIGNALING.RESTORED' },
        { type: 'SIGNALING.ERROR', error: { code: 'RATE_LIMITED', message: 'slow down' } },
        joined(snapshot, 'ROOM.REJOINED', []),
        joined(snapshot, 'ROOM.REJOINED', ['alice']),
        { type: 'ROOM.LOST', error: { code: 'signaling-unreachable', message: 'gone' } },
        { type: 'ICE.REFRESHED', iceServers: [{ urls: 'turn:127.0.0.1', username: 'u' }] },
      )
    }
  }
  for (const { peerId } of context.peers) {
    events.push(
      ...PEER_STATUSES.map((status): CallEvent => ({ type: 'PEER.STATUS', peerId, status })),
      { type: 'PEER.SIGNAL', peerId, signal: OFFER },
      { type: 'PEER.INTERRUPTED', peerId, interrupted: true },
      { type: 'PEER.INTERRUPTED', peerId, interrupted: false },
      { type: 'PEER.STREAM', peerId, stream: STREAM },
      { type: 'PEER.MESSAGE', peerId, data: 'pong' },
      { type: 'PEER.STATS', peerId, stats: STATS, quality: 'poor' },
      {
        type: 'PEER.FILE',
        peerId,
        report: { kind: 'sent', transferId: 't1', name: 'x.txt', size: 1 },
      },
      { type: 'PEER.ERROR', peerId, message: 'scripted' },
    )
  }
  return events
}

/**
 * While the signaling server is away or a fresh join is under way, only what bears on getting
 * back: with every event there, the two flags (which guards read, so the graph tells states
 * apart by them) would multiply the whole graph and exhaust memory.
 */
function recoveryEvents(snapshot: CallSnapshot): CallEvent[] {
  const { context } = snapshot
  const events: CallEvent[] = [
    { type: 'CALL.HANG_UP' },
    { type: 'SIGNALING.LOST', reason: 'transport close' },
    { type: 'SIGNALING.RESTORED' },
  ]
  if (context.peerId === null || snapshot.matches({ room: 'joining' })) return events
  for (const { peerId } of context.peers) {
    events.push(
      ...(['connected', 'reconnecting', 'failed'] as const).map(
        (status): CallEvent => ({ type: 'PEER.STATUS', peerId, status }),
      ),
      { type: 'PEER.LEFT', peerId },
      { type: 'PEER.AWAY', peerId, heldUntil: HELD_UNTIL },
      { type: 'PEER.BACK', peerId },
    )
  }
  events.push(joined(snapshot, 'ROOM.REJOINED', []), joined(snapshot, 'ROOM.REJOINED', ['alice']), {
    type: 'ROOM.LOST',
    error: { code: 'signaling-unreachable', message: 'gone' },
  })
  if (snapshot.matches({ room: { reconnecting: { rejoining: 'joining' } } })) {
    events.push(
      { type: 'ROOM.REJOIN_FAILED', error: { code: 'ROOM_FULL', message: 'room is full' } },
      { type: 'ROOM.REJOIN_FAILED', error: null },
    )
  }
  return events
}

/**
 * What the call's guards read, and what the replay must agree on: the state, the flags, each
 * peer's status and the children alive. Payload-only context (media, errors, ICE servers) is
 * left out so the graph stays small; a final state is just its value.
 */
export function serializeCall(snapshot: CallSnapshot): string {
  if (snapshot.status !== 'active') {
    return JSON.stringify({ status: snapshot.status, value: snapshot.value })
  }
  const { context } = snapshot
  return JSON.stringify({
    value: snapshot.value,
    joinRequested: context.joinRequested,
    mediaStarted: context.mediaStarted,
    roomId: context.roomId,
    joined: context.peerId !== null,
    signalingConnected: context.signalingConnected,
    rejoins: context.rejoins,
    peers: context.peers.map(
      (peer) => `${peer.peerId}:${peer.status}${peer.heldUntil === null ? '' : ':held'}`,
    ),
    children: Object.keys(snapshot.children).sort(),
  })
}

export const callModel = (
  input: CallOptions,
): ModelOptions<CallSnapshot, CallEvent, CallOptions> => ({
  input,
  events: callEvents,
  serializeState: serializeCall,
})

type Report = (event: CallEvent) => void

// What the call hands every peer under the name it got it by (issue #12: one name per signal).
const PEER_COMMANDS: PeerCommand['type'][] = [
  'CALL.SEND',
  'CALL.SEND_FILE',
  'CALL.CANCEL_FILE',
  'CALL.RESTART_ICE',
  'CALL.VIDEO_QUALITY',
  'MEDIA.TRACK',
  'ICE.REFRESHED',
]

const MEDIA_COMMANDS: string[] = ['MEDIA.MIC', 'MEDIA.CAMERA', 'MEDIA.DEVICE', 'MEDIA.SCREEN']

const EMITS: Partial<Record<CallEvent['type'], CallEmitted['type']>> = {
  'PEER.MESSAGE': 'message',
  'PEER.FILE': 'file',
  'PEER.ERROR': 'error',
  'SIGNALING.ERROR': 'error',
  'MEDIA.ERROR': 'error',
}

/**
 * What an event must make the call tell its children (`<child> <command>`) and emit, given the
 * state it arrived in: the routing half of the machine, which the state value alone never shows.
 */
function expectedEffects(before: CallSnapshot, event: CallEvent, after: CallSnapshot) {
  const { context } = before
  const peers = context.peers.map((peer) => `peer:${peer.peerId}`)
  const commands: string[] = []
  if ((PEER_COMMANDS as string[]).includes(event.type)) {
    commands.push(...peers.map((peer) => `${peer} ${event.type}`))
  }
  // Before media is started there is no one to obey a media command.
  if (MEDIA_COMMANDS.includes(event.type) && context.mediaStarted) {
    commands.push(`media ${event.type}`)
  }
  if (event.type === 'PEER.SIGNAL') commands.push('signaling SIGNALING.SEND')
  // The way back is open: the session reconnects now and peers restart ICE now (issue #17),
  // every peer on a new network, only those still healing otherwise.
  const healing = context.peers
    .filter((peer) => peer.status === 'reconnecting' || peer.iceInterrupted)
    .map((peer) => `peer:${peer.peerId}`)
  const inRoom = before.matches('room')
  if (inRoom && ['PAGE.RESUMED', 'NETWORK.ONLINE', 'NETWORK.CHANGED'].includes(event.type)) {
    commands.push('signaling SIGNALING.WAKE')
    const restarted = event.type === 'PAGE.RESUMED' ? healing : peers
    commands.push(...restarted.map((peer) => `${peer} CALL.RESTART_ICE`))
  }
  if (event.type === 'SIGNALING.RESTORED') {
    commands.push(...healing.map((peer) => `${peer} CALL.RESTART_ICE`))
  }
  if (event.type === 'SIGNAL.RECEIVED') commands.push(`peer:${event.from} SIGNAL.RECEIVED`)
  // A join asked for before the camera is ready leaves at once (the session keeps its answer).
  const beforeCamera = before.matches('idle') || before.matches({ media: 'acquiring' })
  if (
    event.type === 'CALL.JOIN' &&
    beforeCamera &&
    isRoomId(event.roomId ?? context.roomId) &&
    after.status === 'active' &&
    after.matches({ media: 'acquiring' })
  ) {
    commands.push('signaling SIGNALING.PREJOIN')
  }
  // The session was opened with the media; entering the room is asking it to join.
  const joining = { room: 'joining' } as const
  if (!before.matches(joining) && after.status === 'active' && after.matches(joining)) {
    commands.push('signaling SIGNALING.JOIN')
  }
  // Every peer failed and a rejoin is left: the call asks the session for a fresh join, once
  // the server can be reached.
  const rejoining = { room: { reconnecting: { rejoining: 'joining' } } } as const
  if (!before.matches(rejoining) && after.status === 'active' && after.matches(rejoining)) {
    commands.push('signaling SIGNALING.REJOIN')
  }
  const emitted: string[] = []
  const emits = EMITS[event.type]
  if (emits) emitted.push(emits)
  // Before the room, a join the call cannot make is refused out loud rather than ignored.
  const canTakeJoin = before.matches('idle') || before.matches('media')
  if (event.type === 'CALL.JOIN' && canTakeJoin && !isRoomId(event.roomId ?? context.roomId)) {
    emitted.push('error')
  }
  return { commands, emitted }
}

/** Who sends an event in production: the user (null), or the child actor with that id. */
function senderOf(event: CallEvent): string | null {
  switch (event.type) {
    case 'CALL.START':
    case 'CALL.JOIN':
    case 'CALL.HANG_UP':
    case 'CALL.SEND':
    case 'CALL.SEND_FILE':
    case 'CALL.CANCEL_FILE':
    case 'CALL.RESTART_ICE':
    case 'CALL.VIDEO_QUALITY':
    case 'MEDIA.MIC':
    case 'MEDIA.CAMERA':
    case 'MEDIA.DEVICE':
    case 'MEDIA.SCREEN':
    // The page's own events, which the call listens to itself.
    case 'PAGE.RESUMED':
    case 'NETWORK.OFFLINE':
    case 'NETWORK.ONLINE':
    case 'NETWORK.CHANGED':
      return null
    case 'MEDIA.READY':
    case 'MEDIA.FAILED':
    case 'MEDIA.UPDATED':
    case 'MEDIA.TRACK':
    case 'MEDIA.DEVICES':
    case 'MEDIA.ERROR':
      return 'media'
    case 'ROOM.JOINED':
    case 'ROOM.FAILED':
    case 'ROOM.REJOINED':
    case 'ROOM.LOST':
    case 'ROOM.REJOIN_FAILED':
    case 'ICE.REFRESHED':
    case 'SIGNALING.LOST':
    case 'SIGNALING.RESTORED':
    case 'SIGNALING.ERROR':
    case 'PEER.JOINED':
    case 'PEER.LEFT':
    case 'PEER.AWAY':
    case 'PEER.BACK':
    case 'SIGNAL.RECEIVED':
      return 'signaling'
    case 'AUDIO.LEVELS':
      return 'audioMeter'
    case 'PEER.SIGNAL':
    case 'PEER.STATUS':
    case 'PEER.INTERRUPTED':
    case 'PEER.STREAM':
    case 'PEER.MESSAGE':
    case 'PEER.STATS':
    case 'PEER.FILE':
    case 'PEER.ERROR':
      return `peer:${event.peerId}`
  }
}

const isTimer = (event: { type: string }) => event.type.startsWith('xstate.after.')

// The call's only timer: a rejoin waits for the signaling server as long as peers heal.
function timerDelayMs(snapshot: CallSnapshot, type: string): number {
  if (type.includes('rejoinTimeout')) return snapshot.context.healing.budgetMs
  throw new Error(`no delay known for ${type}`)
}

/**
 * A real call actor whose children are stand-ins with the real contract: each registers the
 * channel it reports on, so a model event is delivered by the party that sends it in
 * production, and fails when the call has not spawned that party.
 */
export function startCall(input: CallOptions, coverage: Coverage) {
  if (!vi.isFakeTimers()) throw new Error('call replays drive `after` with fake timers')
  const senders = new Map<string, Report>()
  const commands: string[] = []
  const register = (
    id: string,
    sendBack: Report,
    receive: (listener: (command: { type: string }) => void) => void,
  ) => {
    senders.set(id, sendBack)
    receive((command) => commands.push(`${id} ${command.type}`))
    // A rejoin respawns a peer under the same id: only drop the channel if it is still ours.
    return () => {
      if (senders.get(id) === sendBack) senders.delete(id)
    }
  }
  const machine = callMachine.provide({
    actors: {
      localMedia: fromCallback<MediaCommand, LocalMediaInput, MediaReport>(
        ({ sendBack, receive }) => register('media', sendBack, receive),
      ) satisfies typeof localMedia,
      signalingSession: fromCallback<SignalingCommand, SignalingSessionInput, CallEvent>(
        ({ sendBack, receive }) => register('signaling', sendBack, receive),
      ),
      // Same events as the negotiation machine; xstate types the slot by the original.
      peer: fromCallback<PeerCommand, PeerInput, CallEvent>(({ input, sendBack, receive }) =>
        register(`peer:${input.peerId}`, sendBack, receive),
      ) as unknown as typeof peerMachine,
      audioMeter: fromCallback<{ type: string }, AudioMeterInput, AudioLevelsReport>(
        ({ sendBack, receive }) => register('audioMeter', sendBack, receive),
      ),
    },
  })
  const actor = createActor(machine, {
    input,
    inspect: (event) => recordMicrostep(coverage, event),
  })
  const emitted: string[] = []
  actor.on('*', (event) => emitted.push(event.type))
  actor.start()

  return {
    actor,
    deliver(event: CallEvent) {
      const before = actor.getSnapshot()
      const [told, said] = [commands.length, emitted.length]
      // A timer of the graph (`xstate.after.*`, outside the event union): its delay elapses.
      const sender = isTimer(event) ? 'clock' : senderOf(event)
      if (sender === 'clock') vi.advanceTimersByTime(timerDelayMs(before, event.type))
      else if (sender === null) actor.send(event)
      else {
        const send = senders.get(sender)
        if (!send) throw new Error(`${event.type} needs ${sender}, which the call has not spawned`)
        send(event)
      }
      const expected = expectedEffects(before, event, actor.getSnapshot())
      expect(commands.slice(told), `what ${event.type} makes the call command`).toEqual(
        expected.commands,
      )
      expect(emitted.slice(said), `what ${event.type} makes the call emit`).toEqual(
        expected.emitted,
      )
    },
  }
}
