import {
  type CallActor,
  connectCall,
  createCall,
  createSocketSignaling,
  type SignalingNotice,
} from '@duet/core'
import { ErrorCode } from '@duet/core/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Client, next, useHarness } from './harness'
import { waitUntil } from './support/childProcess'
import { type CliNode, ensureBuilt, startCliNode } from './support/cliNode'
import { type RedisProcess, startRedis } from './support/redisServer'
import { type RoundRobinProxy, startRoundRobinProxy } from './support/roundRobinProxy'
import { NodePeerConnection } from './support/wrtcPeer'

const offer = { type: 'offer' as const, sdp: 'v=0' }

/** A data-only call on the Node WebRTC stack whose signaling notices are recorded. */
function recordedCall(url: string, roomId: string) {
  const notices: SignalingNotice[] = []
  const made: RTCPeerConnection[] = []
  class Counted extends NodePeerConnection {
    constructor(config?: RTCConfiguration) {
      super(config)
      made.push(this)
    }
  }
  const call = createCall({
    roomId,
    media: false,
    statsIntervalMs: 0,
    platform: { RTCPeerConnection: Counted },
    signaling: () => {
      const transport = createSocketSignaling(url, {
        socket: { transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 300 },
      })
      transport.subscribe((notice) => notices.push(notice))
      return transport
    },
  })
  call.start()
  return { call, notices, made }
}

const status = (call: CallActor) => connectCall(call.getSnapshot(), call.send).status

describe('two duet-server processes sharing a real Redis, behind a round-robin proxy', () => {
  const { connect, joined } = useHarness()
  let redis: RedisProcess
  let nodes: CliNode[] = []
  let proxy: RoundRobinProxy | undefined
  const calls: CallActor[] = []

  beforeAll(async () => {
    await ensureBuilt()
    redis = await startRedis()
    const args = [
      '--redis',
      redis.url,
      '--resume-secret',
      'shared-resume-secret-of-32-bytes-or-more',
      '--transports',
      'websocket',
      '--log-level',
      'warn',
    ]
    nodes = await Promise.all([startCliNode(args), startCliNode(args)])
  }, 60_000)

  afterAll(async () => {
    for (const call of calls.splice(0)) call.stop()
    await proxy?.close()
    await Promise.all(nodes.map((node) => node.child.stop()))
    await redis?.stop()
  })

  it('should put peers on different nodes in one room, relay between them, and hold capacity atomically', async () => {
    const [one, two] = nodes as [CliNode, CliNode]
    const a = await joined(one.url, 'across')
    const announced = next(a.client, 'peer:joined')
    const b = await joined(two.url, 'across')
    expect(b.join.peers).toEqual([{ peerId: a.join.peerId }])
    expect(await announced).toEqual({ peerId: b.join.peerId })
    const relayed = next(a.client, 'signal:receive')
    expect(await b.client.emitWithAck('signal:send', { to: a.join.peerId, signal: offer })).toEqual(
      { ok: true },
    )
    expect(await relayed).toEqual({ from: b.join.peerId, signal: offer })

    // Two joins fired at once on the two nodes for one free place: exactly one wins, every time.
    const rounds = 15
    const pairs: [Client, Client][] = await Promise.all(
      Array.from({ length: rounds }, () => Promise.all([connect(one.url), connect(two.url)])),
    )
    for (const [round, [x, y]] of pairs.entries()) {
      const room = `race-${round}`
      await joined(round % 2 ? one.url : two.url, room)
      const results = await Promise.all([
        x.emitWithAck('room:join', { roomId: room }),
        y.emitWithAck('room:join', { roomId: room }),
      ])
      expect(results.filter((result) => result.ok)).toHaveLength(1)
      expect(results.find((result) => !result.ok)).toMatchObject({
        error: { code: ErrorCode.ROOM_FULL },
      })
    }
    for (const node of nodes) expect((await fetch(`${node.url}/readyz`)).status).toBe(200)
  }, 30_000)

  it('should keep an established call when one node is killed: the peer resumes on the other and data flows on the same connection', async () => {
    const [one, two] = nodes as [CliNode, CliNode]
    proxy = await startRoundRobinProxy([one.port, two.port])
    // Round robin: the first call's connection goes to node one, the second's to node two.
    const a = recordedCall(proxy.url, 'survivor')
    calls.push(a.call)
    connectCall(a.call.getSnapshot(), a.call.send).join()
    // Joined (it has a peer id), not merely joining: the second call must find it in the room.
    await waitUntil(() => Boolean(a.call.getSnapshot().context.peerId), 10_000, 'first call joined')
    const b = recordedCall(proxy.url, 'survivor')
    calls.push(b.call)
    connectCall(b.call.getSnapshot(), b.call.send).join()
    await waitUntil(
      () => status(a.call) === 'connected' && status(b.call) === 'connected',
      10_000,
      'call connected',
    )
    expect(proxy.routed.slice(0, 2)).toEqual([one.port, two.port])
    const peerId = a.call.getSnapshot().context.peerId
    // Spare connections built before the call count too: only new ones after this matter.
    const madeBefore = [a.made.length, b.made.length]
    expect(peerId).toBeTruthy()

    const receivedByB: unknown[] = []
    const receivedByA: unknown[] = []
    b.call.on('message', ({ data }) => receivedByB.push(data))
    a.call.on('message', ({ data }) => receivedByA.push(data))
    connectCall(a.call.getSnapshot(), a.call.send).send('before')
    await waitUntil(() => receivedByB.includes('before'), 5000, 'message before the kill')

    await one.child.kill()
    await waitUntil(
      () => a.notices.some((notice) => notice.type === 'disconnected'),
      5000,
      'disconnect noticed',
    )
    // Media (here: the data channel) is peer to peer: it keeps flowing while signaling moves.
    connectCall(a.call.getSnapshot(), a.call.send).send('during')
    await waitUntil(() => receivedByB.includes('during'), 5000, 'message during the outage')

    await waitUntil(
      () => a.notices.some((notice) => notice.type === 'reconnected' || notice.type === 'rejoined'),
      15_000,
      'signaling back through node two',
    )
    expect(
      a.notices.filter((notice) => notice.type === 'rejoined' || notice.type === 'rejoin-failed'),
    ).toEqual([])
    expect(a.call.getSnapshot().context.peerId).toBe(peerId)
    expect(proxy.routed.at(-1)).toBe(two.port)
    // A killed node saved no recovery session: the client took its place back with its token.
    expect(await (await fetch(`${two.url}/metrics`)).text()).toContain(
      'duet_resumes_total{via="token"} 1\n',
    )
    // The other side never saw it leave, and nobody built a new peer connection.
    expect(
      b.notices.filter((notice) => notice.type === 'peer-left' || notice.type === 'peer-joined'),
    ).toEqual([])
    expect([a.made.length, b.made.length]).toEqual(madeBefore)

    connectCall(a.call.getSnapshot(), a.call.send).send('after')
    connectCall(b.call.getSnapshot(), b.call.send).send('back to you')
    await waitUntil(
      () => receivedByB.includes('after') && receivedByA.includes('back to you'),
      5000,
      'messages after',
    )
    expect([status(a.call), status(b.call)]).toEqual(['connected', 'connected'])

    // Signaling works again through node two: an ICE restart negotiates over it.
    connectCall(a.call.getSnapshot(), a.call.send).restartIce()
    connectCall(a.call.getSnapshot(), a.call.send).send('after restart')
    await waitUntil(
      () => receivedByB.includes('after restart'),
      10_000,
      'message after an ICE restart',
    )
    expect([a.made.length, b.made.length]).toEqual(madeBefore)
  }, 60_000)
})
