import { describe, expect, it, vi } from 'vitest'
import { createActor, fromCallback } from 'xstate'
import {
  type CallEmitted,
  type CallEvent,
  callMachine,
  callStatus,
  connectCall,
  type peerMachine,
} from '../src'
import type { LocalMediaInput, localMedia } from '../src/media/localMedia'
import type { MediaCommand, MediaReport } from '../src/media/media.types'
import type { SpareInput, spareConnection } from '../src/peer/spareConnection'
import { scriptedPeers, scriptedSignaling } from './support/scriptedActors'

const JOINED = (peers: string[] = []): CallEvent => ({
  type: 'ROOM.JOINED',
  result: {
    ok: true,
    roomId: 'room-1',
    peerId: 'me',
    peers: peers.map((peerId) => ({ peerId })),
    iceServers: [{ urls: 'stun:127.0.0.1:3478' }],
    capacity: 2,
    resumeToken: 'token',
  },
})

const NO_MEDIA = { stream: null, micEnabled: false, cameraEnabled: false, screenSharing: false }

function setup(
  media: (input: LocalMediaInput) => MediaReport = () => ({ type: 'MEDIA.READY', media: NO_MEDIA }),
) {
  const signaling = scriptedSignaling()
  const peers = scriptedPeers()
  const mediaStops = vi.fn()
  // Every spare connection the call asks for, with what it was built with.
  const spares: SpareInput[] = []
  // How many joins had been sent when each spare was built.
  const joinsAtSpare: number[] = []
  const machine = callMachine.provide({
    actors: {
      spareConnection: fromCallback<{ type: string }, SpareInput>(({ input }) => {
        spares.push(input)
        joinsAtSpare.push(signaling.joins.length)
      }) satisfies typeof spareConnection,
      signalingSession: signaling.logic,
      // Stand-ins with the same events as the real actors; xstate types them by the originals.
      peer: peers.logic as unknown as typeof peerMachine,
      localMedia: fromCallback<MediaCommand, LocalMediaInput, MediaReport>(
        ({ input, sendBack }) => {
          queueMicrotask(() => sendBack(media(input)))
          return mediaStops
        },
      ) satisfies typeof localMedia,
    },
  })
  const actor = createActor(machine, {
    input: {
      signaling: 'http://unused.invalid',
      roomId: 'room-1',
      iceServers: [{ urls: 'stun:user' }],
    },
  })
  const emitted: CallEmitted[] = []
  actor.on('*', (event) => emitted.push(event))
  actor.start()
  const api = () => connectCall(actor.getSnapshot(), actor.send)
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0))
  return { actor, api, signaling, peers, mediaStops, emitted, spares, joinsAtSpare, settle }
}

describe('callMachine', () => {
  it('should go idle → media → ready and join the option room when asked to join', async () => {
    const { api, signaling, settle } = setup()
    expect(api().status).toBe('idle')
    api().join()
    expect(api().status).toBe('media')
    expect(api().isAcquiringMedia).toBe(true)
    await settle()
    expect(api().status).toBe('ready')
    expect(api().isJoining).toBe(true)
    expect(signaling.joins).toEqual(['room-1'])
  })

  it('should show a preview without joining, then join on request', async () => {
    const { api, signaling, settle } = setup()
    api().startPreview()
    await settle()
    expect(api().status).toBe('media')
    expect(api().isAcquiringMedia).toBe(false)
    expect(signaling.joins).toEqual([])
    api().join('other-room')
    expect(api().status).toBe('ready')
    expect(signaling.joins).toEqual(['other-room'])
  })

  it('should connect to the signaling server with the preview, so the join finds it up', async () => {
    const { api, signaling, settle } = setup()
    expect(signaling.openedCount()).toBe(0)
    api().startPreview()
    expect(signaling.openedCount()).toBe(1)
    await settle()
    expect(signaling.joins).toEqual([])
    api().join()
    expect(signaling.openedCount()).toBe(1)
    expect(signaling.joins).toEqual(['room-1'])
    api().hangUp()
    expect(signaling.closedCount()).toBe(1)
  })

  // fix #14: Firefox gathers no usable candidates on a connection made before the camera grant.
  it('should build the spare connection once the camera settled, not while it starts', async () => {
    const stream = { getTracks: () => [] } as unknown as MediaStream
    const { api, spares, settle } = setup(() => ({
      type: 'MEDIA.READY',
      media: { ...NO_MEDIA, stream, micEnabled: true, cameraEnabled: true },
    }))
    api().startPreview()
    expect(spares).toEqual([])
    await settle()
    expect(spares).toEqual([expect.objectContaining({ offers: true, localStream: stream })])
  })

  // #18: a Join pressed while the camera starts costs no more than the camera's start.
  it('should send a join pressed during the camera start before building the spare', async () => {
    const { api, signaling, spares, joinsAtSpare, settle } = setup()
    api().join()
    await settle()
    expect(signaling.joins).toEqual(['room-1'])
    expect(spares).toEqual([expect.objectContaining({ offers: true })])
    expect(joinsAtSpare).toEqual([1])
  })

  // #18: ICE servers fetched while the camera starts, so the spare gathers with TURN too.
  it('should build the spare with the ICE servers fetched before the join', async () => {
    const { api, signaling, spares, settle } = setup()
    api().startPreview()
    const turn = { urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'c' }
    signaling.answer({ type: 'ICE.REFRESHED', iceServers: [turn] })
    await settle()
    expect(spares).toEqual([
      expect.objectContaining({ iceServers: [turn, { urls: 'stun:user' }], offers: true }),
    ])
  })

  it('should offer to peers already in the room and follow the negotiation to connected', async () => {
    const { actor, api, signaling, peers, settle } = setup()
    api().join()
    await settle()
    signaling.answer(JOINED(['alice']))
    expect(api().isInRoom).toBe(true)
    expect(peers.inputs.get('alice')).toMatchObject({
      initiator: true,
      polite: 'me' < 'alice',
      iceServers: [{ urls: 'stun:127.0.0.1:3478' }, { urls: 'stun:user' }],
    })
    peers.say('alice', { type: 'PEER.STATUS', peerId: 'alice', status: 'offering' })
    expect(api().status).toBe('offering')
    peers.say('alice', {
      type: 'PEER.SIGNAL',
      peerId: 'alice',
      signal: { type: 'offer', sdp: 'v=0' },
    })
    // The join was asked for before the camera was ready: it left at once.
    expect(signaling.sent).toEqual([
      { type: 'SIGNALING.PREJOIN', roomId: 'room-1' },
      { type: 'SIGNALING.SEND', to: 'alice', signal: { type: 'offer', sdp: 'v=0' } },
    ])
    signaling.answer({
      type: 'SIGNAL.RECEIVED',
      from: 'alice',
      signal: { type: 'answer', sdp: 'v=0' },
    })
    expect(peers.received.get('alice')).toEqual([
      { type: 'SIGNAL.RECEIVED', from: 'alice', signal: { type: 'answer', sdp: 'v=0' } },
    ])
    peers.say('alice', { type: 'PEER.STATUS', peerId: 'alice', status: 'connected' })
    expect(api().status).toBe('connected')
    expect(api().isConnected).toBe(true)
    expect(callStatus(actor.getSnapshot())).toBe('connected')
  })

  it('should answer a peer that joins after us, and return to waiting when it leaves', async () => {
    const { api, signaling, peers, settle } = setup()
    api().join()
    await settle()
    signaling.answer(JOINED())
    signaling.answer({ type: 'PEER.JOINED', peerId: 'bob' })
    expect(peers.inputs.get('bob')?.initiator).toBe(false)
    peers.say('bob', { type: 'PEER.STATUS', peerId: 'bob', status: 'answering' })
    expect(api().status).toBe('answering')
    peers.say('bob', { type: 'PEER.STATUS', peerId: 'bob', status: 'connected' })
    expect(api().status).toBe('connected')
    signaling.answer({ type: 'PEER.LEFT', peerId: 'bob' })
    expect(api().status).toBe('ready')
    expect(api().peers).toEqual([])
    expect(peers.stopped).toEqual(['bob'])
  })

  it('should show a peer away while the server holds its place, and present again when it is back', async () => {
    const { api, signaling, peers, settle } = setup()
    api().join()
    await settle()
    signaling.answer(JOINED(['bob']))
    peers.say('bob', { type: 'PEER.STATUS', peerId: 'bob', status: 'connected' })
    expect(api().peers[0]).toMatchObject({ presence: 'present', awaySince: null, heldUntil: null })
    const before = Date.now()
    signaling.answer({ type: 'PEER.AWAY', peerId: 'bob', heldUntil: before + 30_000 })
    const away = api().peers[0]
    expect(away).toMatchObject({ presence: 'away', heldUntil: before + 30_000 })
    expect(away?.awaySince).toBeGreaterThanOrEqual(before)
    // Its media may still flow: the call stays connected, and the negotiation goes on untouched.
    expect(api().status).toBe('connected')
    signaling.answer({ type: 'PEER.BACK', peerId: 'bob' })
    expect(api().peers[0]).toMatchObject({ presence: 'present', awaySince: null, heldUntil: null })
    expect(peers.stopped).toEqual([])
  })

  it('should not fail the call when the connection to an away peer fails: it waits for the peer or its leave', async () => {
    const { api, signaling, peers, settle } = setup()
    api().join()
    await settle()
    signaling.answer(JOINED(['bob']))
    peers.say('bob', { type: 'PEER.STATUS', peerId: 'bob', status: 'connected' })
    signaling.answer({ type: 'PEER.AWAY', peerId: 'bob', heldUntil: Date.now() + 30_000 })
    peers.say('bob', { type: 'PEER.STATUS', peerId: 'bob', status: 'failed' })
    expect(api().status).toBe('reconnecting')
    signaling.answer({ type: 'PEER.LEFT', peerId: 'bob' })
    expect(api().status).toBe('ready')
    expect(api().error).toBeNull()
  })

  it('should show a peer away as soon as ICE is interrupted, and keep the moment it went', async () => {
    const { api, signaling, peers, settle } = setup()
    api().join()
    await settle()
    signaling.answer(JOINED(['bob']))
    peers.say('bob', { type: 'PEER.STATUS', peerId: 'bob', status: 'connected' })
    peers.say('bob', { type: 'PEER.INTERRUPTED', peerId: 'bob', interrupted: true })
    const since = api().peers[0]?.awaySince
    expect(api().peers[0]?.presence).toBe('away')
    expect(since).toEqual(expect.any(Number))
    // The grace period ran out: the restart keeps the peer away, since the first moment.
    peers.say('bob', { type: 'PEER.STATUS', peerId: 'bob', status: 'reconnecting' })
    expect(api().peers[0]).toMatchObject({ presence: 'away', awaySince: since })
    // Back: the negotiation reports connected, then that the connection is stable again.
    peers.say('bob', { type: 'PEER.STATUS', peerId: 'bob', status: 'connected' })
    expect(api().peers[0]).toMatchObject({ presence: 'away', awaySince: since })
    peers.say('bob', { type: 'PEER.INTERRUPTED', peerId: 'bob', interrupted: false })
    expect(api().peers[0]).toMatchObject({ presence: 'present', awaySince: null })
  })

  it('should route data to peers and emit what they receive', async () => {
    const { api, signaling, peers, emitted, settle } = setup()
    api().join()
    await settle()
    signaling.answer(JOINED(['alice', 'bob']))
    api().send('hi all')
    api().send('just bob', 'bob')
    const cap = { type: 'VIDEO.CAP', maxBitrate: 1_000_000 }
    expect(peers.received.get('alice')).toEqual([cap, { type: 'CALL.SEND', data: 'hi all' }])
    expect(peers.received.get('bob')).toEqual([
      cap,
      { type: 'CALL.SEND', data: 'hi all' },
      { type: 'CALL.SEND', data: 'just bob', to: 'bob' },
    ])
    peers.say('bob', { type: 'PEER.MESSAGE', peerId: 'bob', data: 'pong' })
    expect(emitted).toContainEqual({ type: 'message', peerId: 'bob', data: 'pong' })
  })

  // #16: each peer gets its own copy of our video in a mesh; the cap follows the room's size.
  it('should cap every outgoing video once a second peer is in, and lift it when one is left', async () => {
    const { api, signaling, peers, settle } = setup()
    api().join()
    await settle()
    signaling.answer(JOINED(['alice']))
    const caps = (peerId: string) =>
      (peers.received.get(peerId) ?? []).flatMap((command) =>
        command.type === 'VIDEO.CAP' ? [command.maxBitrate] : [],
      )
    expect(caps('alice')).toEqual([])
    signaling.answer({ type: 'PEER.JOINED', peerId: 'bob' })
    signaling.answer({ type: 'PEER.JOINED', peerId: 'carol' })
    expect(caps('alice')).toEqual([1_000_000, 833_333])
    expect(caps('carol')).toEqual([833_333])
    signaling.answer({ type: 'PEER.LEFT', peerId: 'carol' })
    signaling.answer({ type: 'PEER.LEFT', peerId: 'bob' })
    expect(caps('alice')).toEqual([1_000_000, 833_333, 1_000_000, null])
    expect(api().peers.map((peer) => peer.peerId)).toEqual(['alice'])
  })

  it('should end on hang up, releasing media, signaling and every negotiation', async () => {
    const { actor, api, signaling, peers, mediaStops, settle } = setup()
    api().join()
    await settle()
    signaling.answer(JOINED(['alice']))
    api().hangUp()
    expect(api().status).toBe('ended')
    expect(api().isEnded).toBe(true)
    expect(actor.getSnapshot().status).toBe('done')
    expect(mediaStops).toHaveBeenCalledOnce()
    expect(api().localStream).toBeNull()
    expect(api().remoteStream).toBeNull()
    expect(signaling.closedCount()).toBe(1)
    expect(peers.stopped).toEqual(['alice'])
  })

  it('should hang up when the page goes, and stop listening once it ended', async () => {
    // A real EventTarget stands in for the window the call listens on by default.
    const page = new EventTarget()
    const removed = vi.spyOn(page, 'removeEventListener')
    vi.stubGlobal('window', page)
    try {
      const { api, signaling, peers, settle } = setup()
      api().join()
      await settle()
      signaling.answer(JOINED(['alice']))
      page.dispatchEvent(new Event('pagehide'))
      expect(api().status).toBe('ended')
      expect(signaling.closedCount()).toBe(1)
      expect(peers.stopped).toEqual(['alice'])
      expect(removed).toHaveBeenCalledWith('pagehide', expect.any(Function))
    } finally {
      vi.unstubAllGlobals()
    }
  })

  // Issue #17: a page thawed after its socket and ICE dropped, or a network back or changed,
  // heals at once instead of at the end of Socket.io's and ICE's backoffs.
  it('should reconnect signaling and restart ICE at once when the page wakes or the network changes', async () => {
    const page = new EventTarget()
    const connection = new EventTarget()
    vi.stubGlobal('window', page)
    vi.stubGlobal('navigator', { connection })
    try {
      const { api, signaling, peers, settle } = setup()
      api().join()
      await settle()
      signaling.answer(JOINED(['alice', 'bob']))
      peers.say('alice', { type: 'PEER.STATUS', peerId: 'alice', status: 'reconnecting' })
      peers.say('bob', { type: 'PEER.STATUS', peerId: 'bob', status: 'connected' })
      const restarts = (peerId: string) =>
        peers.received.get(peerId)?.filter((command) => command.type === 'CALL.RESTART_ICE').length
      const wakes = () => signaling.sent.filter((command) => command.type === 'SIGNALING.WAKE')

      // A thawed page: only the peer still healing restarts; the other one is fine.
      page.dispatchEvent(new Event('resume'))
      expect(wakes()).toHaveLength(1)
      expect([restarts('alice'), restarts('bob')]).toEqual([1, 0])
      // Signaling back (resumed with its token): the healing peer restarts again, at once.
      signaling.answer({ type: 'SIGNALING.RESTORED' })
      expect([restarts('alice'), restarts('bob')]).toEqual([2, 0])
      // A new network: every path may be gone, so every peer restarts.
      connection.dispatchEvent(new Event('change'))
      page.dispatchEvent(new Event('online'))
      expect(wakes()).toHaveLength(3)
      expect([restarts('alice'), restarts('bob')]).toEqual([4, 2])
      // Going offline changes nothing by itself: healing goes on within its budget.
      page.dispatchEvent(new Event('offline'))
      expect(api().status).toBe('reconnecting')
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('should fail with the typed reason when media is denied', async () => {
    const { api, signaling, settle } = setup(() => ({
      type: 'MEDIA.FAILED',
      error: { code: 'media-denied', message: 'Permission denied' },
    }))
    api().join()
    await settle()
    expect(api().status).toBe('failed')
    expect(api().error?.code).toBe('media-denied')
    expect(signaling.joins).toEqual([])
  })

  it('should fail with the server code when the join is refused', async () => {
    const { api, signaling, settle } = setup()
    api().join()
    await settle()
    signaling.answer({ type: 'ROOM.FAILED', error: { code: 'ROOM_FULL', message: 'room is full' } })
    expect(api().status).toBe('failed')
    expect(api().error).toEqual({ code: 'ROOM_FULL', message: 'room is full' })
  })

  it('should refuse to join an invalid room id with a typed error and stay idle', () => {
    const { api, emitted } = setup()
    api().join('not a room/id')
    expect(api().status).toBe('idle')
    expect(emitted).toContainEqual({
      type: 'error',
      error: { code: 'INVALID_PAYLOAD', message: 'join needs a valid room id' },
    })
  })

  it('should rejoin the room when its only peer fails, and fail once the rejoin is spent', async () => {
    const { actor, api, signaling, peers, settle } = setup()
    api().join()
    await settle()
    signaling.answer(JOINED(['alice']))
    const reason = 'ICE restarts for 90 s did not bring it back'
    peers.say('alice', { type: 'PEER.STATUS', peerId: 'alice', status: 'failed', reason })
    // Still trying, in a fresh join of the room: the user sees reconnecting, not failed.
    expect(api().status).toBe('reconnecting')
    expect(actor.getSnapshot().matches({ room: { reconnecting: 'rejoining' } })).toBe(true)
    expect(signaling.sent).toContainEqual({ type: 'SIGNALING.REJOIN' })

    // Back under a new id with alice's new self: the old negotiation is dropped, a new one made.
    const rejoined = JOINED(['alice-2'])
    if (rejoined.type !== 'ROOM.JOINED') throw new Error('JOINED makes ROOM.JOINED')
    signaling.answer({ type: 'ROOM.REJOINED', result: { ...rejoined.result, peerId: 'me-2' } })
    expect(peers.stopped).toContain('alice')
    expect(api().peers.map((peer) => peer.peerId)).toEqual(['alice-2'])
    expect(api().peerId).toBe('me-2')

    peers.say('alice-2', { type: 'PEER.STATUS', peerId: 'alice-2', status: 'failed', reason })
    expect(api().status).toBe('failed')
    expect(api().error).toEqual({ code: 'connection-failed', message: reason })
  })

  it('should wait for the signaling server before it rejoins', async () => {
    const { actor, api, signaling, peers, settle } = setup()
    api().join()
    await settle()
    signaling.answer(JOINED(['alice']))
    signaling.answer({ type: 'SIGNALING.LOST', reason: 'transport close' })
    peers.say('alice', { type: 'PEER.STATUS', peerId: 'alice', status: 'failed' })
    const waiting = { room: { reconnecting: { rejoining: 'awaitingSignaling' } } } as const
    expect(actor.getSnapshot().matches(waiting)).toBe(true)
    expect(signaling.sent).not.toContainEqual({ type: 'SIGNALING.REJOIN' })
    signaling.answer({ type: 'SIGNALING.RESTORED' })
    expect(signaling.sent).toContainEqual({ type: 'SIGNALING.REJOIN' })
    // A refused rejoin ends the call with the server's reason.
    const full = { code: 'ROOM_FULL' as const, message: 'room is full' }
    signaling.answer({ type: 'ROOM.REJOIN_FAILED', error: full })
    expect(api().status).toBe('failed')
    expect(api().error).toEqual(full)
  })
})

describe('createCall inspect option', () => {
  it('should forward inspection events of the call and its children', async () => {
    const { createCall } = await import('../src')
    const seen: string[] = []
    const call = createCall({
      signaling: 'http://127.0.0.1:9',
      media: false,
      inspect: (event) => {
        if (event.type === '@xstate.event') seen.push(event.event.type)
      },
    })
    call.start()
    call.send({ type: 'CALL.START' })
    expect(seen).toContain('CALL.START')
    call.stop()
  })
})
