import type { IceServerData, IncomingSignal, JoinSuccess } from '@duet/core/protocol'
import wrtc from '@roamhq/wrtc'
import { io } from 'socket.io-client'
import type { Client } from '../harness'

/** libwebrtc for Node, typed as the DOM's. */
export const NodePeerConnection = wrtc.RTCPeerConnection as unknown as typeof RTCPeerConnection

/** A raw WebRTC peer negotiating through the signaling server, as a test drives it. */
export interface SignalingPeer {
  client: Client
  join: JoinSuccess
  pc: RTCPeerConnection
  /** Resolves with the data channel once it is open. */
  channel: Promise<RTCDataChannel>
  close(): void
}

/** Connects to the server, joins `roomId` and sets up a peer connection with the join's ICE servers. */
export async function signalingPeer(
  url: string,
  roomId: string,
  config: { iceTransportPolicy?: RTCIceTransportPolicy } = {},
): Promise<SignalingPeer> {
  const client: Client = io(url, { forceNew: true, transports: ['websocket'], reconnection: false })
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve)
    client.once('connect_error', reject)
  })
  const join = await client.emitWithAck('room:join', { roomId })
  if (!join.ok) throw new Error(`join failed: ${join.error.code}`)
  const pc = new NodePeerConnection({
    iceServers: join.iceServers as RTCIceServer[],
    iceTransportPolicy: config.iceTransportPolicy ?? 'all',
  })
  let remote = join.peers[0]?.peerId
  const send = (signal: IncomingSignal['signal']) => {
    if (remote) void client.emitWithAck('signal:send', { to: remote, signal })
  }
  pc.onicecandidate = ({ candidate }) =>
    send({ type: 'candidate', candidate: candidate ? (candidate.toJSON() as never) : null })
  let channel: Promise<RTCDataChannel>
  const opened = (dc: RTCDataChannel) =>
    new Promise<RTCDataChannel>((resolve) => {
      if (dc.readyState === 'open') resolve(dc)
      else dc.onopen = () => resolve(dc)
    })
  if (remote) {
    // The newcomer offers to the peer already there.
    channel = opened(pc.createDataChannel('test'))
    await pc.setLocalDescription(await pc.createOffer())
    send({ type: 'offer', sdp: pc.localDescription!.sdp })
  } else {
    channel = new Promise((resolve) => {
      pc.ondatachannel = ({ channel: dc }) => void opened(dc).then(resolve)
    })
  }
  client.on('signal:receive', async ({ from, signal }) => {
    remote = from
    if (signal.type === 'offer') {
      await pc.setRemoteDescription(signal)
      await pc.setLocalDescription(await pc.createAnswer())
      send({ type: 'answer', sdp: pc.localDescription!.sdp })
    } else if (signal.type === 'answer') {
      await pc.setRemoteDescription(signal)
    } else if (signal.type === 'candidate' && signal.candidate) {
      await pc.addIceCandidate(signal.candidate)
    }
  })
  return {
    client,
    join,
    pc,
    channel,
    close() {
      pc.close()
      client.disconnect()
    },
  }
}

/** The type (`host`, `srflx`, `relay`) of the local candidate of the pair ICE selected. */
export async function selectedCandidateType(pc: RTCPeerConnection): Promise<string | undefined> {
  const stats = await pc.getStats()
  let pairId: string | undefined
  for (const report of stats.values()) {
    if (report.type === 'transport' && report.selectedCandidatePairId)
      pairId = report.selectedCandidatePairId
  }
  for (const report of stats.values()) {
    if (
      !pairId &&
      report.type === 'candidate-pair' &&
      report.state === 'succeeded' &&
      report.nominated
    ) {
      pairId = report.id
    }
  }
  const pair = pairId ? stats.get(pairId) : undefined
  return pair ? stats.get(pair.localCandidateId)?.candidateType : undefined
}

/** Gathers candidates with these ICE servers only, and returns the candidate lines. */
export async function gather(iceServers: IceServerData[], timeoutMs = 5000): Promise<string[]> {
  const pc = new NodePeerConnection({
    iceServers: iceServers as RTCIceServer[],
    iceTransportPolicy: 'relay',
  })
  const candidates: string[] = []
  try {
    pc.createDataChannel('probe')
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs)
      pc.onicecandidate = ({ candidate }) => {
        if (candidate) candidates.push(candidate.candidate)
        else {
          clearTimeout(timer)
          resolve()
        }
      }
    })
    await pc.setLocalDescription(await pc.createOffer())
    await done
    return candidates
  } finally {
    pc.close()
  }
}
