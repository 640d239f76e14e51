import { createHash } from 'node:crypto'
import {
  type CallActor,
  type CallError,
  type CallStatus,
  connectCall,
  createCall,
} from '@duet/core'
import wrtc from '@roamhq/wrtc'
import { WebSocket as NodeWebSocket } from 'ws'
import { createPatternCamera, type PatternOptions } from './patternCamera'
import { echoReply, hashReply } from './replies'

/** Options of {@link startBot}. */
export interface BotOptions {
  /** Signaling server URL, e.g. the demo's `http://localhost:3000`. */
  server: string
  /** Room to join. */
  room: string
  /** The generated video. */
  video?: PatternOptions
  /** Where the bot says what happens. @default console.log */
  log?: (line: string) => void
}

/** A bot in a room. */
export interface Bot {
  /** The call actor underneath, for anything the bot does not do itself. */
  call: CallActor
  /** Resolves when the call ends by itself: failed (with its error) or hung up elsewhere. */
  ended: Promise<CallError | null>
  /** Hangs up (every track stopped, every connection closed, the room left) and releases all. */
  stop(): Promise<void>
}

/**
 * Joins `room` as a participant on Node's WebRTC stack: echoes every chat message to its
 * sender, answers every received file with its SHA-256, and sends a moving test pattern.
 * @example
 * const bot = startBot({ server: 'http://localhost:3000', room: 'standup' })
 * process.once('SIGINT', () => void bot.stop())
 */
export function startBot(options: BotOptions): Bot {
  const log = options.log ?? console.log
  const camera = createPatternCamera(options.video)
  const call = createCall({
    signaling: options.server,
    roomId: options.room,
    // Audio too, though silent: the bot's call then has a browser's m-lines (audio, video, data).
    media: { audio: true, video: true },
    platform: {
      RTCPeerConnection: wrtc.RTCPeerConnection,
      MediaStream: wrtc.MediaStream,
      mediaDevices: camera.mediaDevices,
      // Node 22+ has a WebSocket of its own; on Node 20 the signaling would fall back to polling.
      WebSocket: globalThis.WebSocket ?? (NodeWebSocket as unknown as typeof WebSocket),
    },
  })
  const api = () => connectCall(call.getSnapshot(), call.send)

  call.on('message', ({ peerId, data }) => {
    if (typeof data !== 'string') return
    // Quoted: text from a stranger must not reach the terminal's control sequences raw.
    log(`chat from ${peerId}: ${JSON.stringify(data)}`)
    api().send(echoReply(data), peerId)
  })
  call.on('file', async ({ peerId, report }) => {
    if (report.kind !== 'received') return
    // Hashed here from the bytes received, not taken from the sender's announcement.
    const bytes = new Uint8Array(await report.file.arrayBuffer())
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    log(
      `file from ${peerId}: ${JSON.stringify(report.name)}, ${report.size} bytes, SHA-256 ${sha256}`,
    )
    api().send(hashReply(report.name, report.size, sha256), peerId)
  })
  call.on('error', ({ error }) => log(`error: ${error.code}: ${error.message}`))

  let status: CallStatus | null = null
  let peers = 0
  let end: (error: CallError | null) => void = () => {}
  const ended = new Promise<CallError | null>((resolve) => {
    end = resolve
  })
  let joinedAt = 0
  let connectedBefore = false
  call.subscribe((snapshot) => {
    const now = connectCall(snapshot, call.send)
    if (now.status !== status) {
      // Timed once: later peers connect long after the bot's join.
      const first = now.status === 'connected' && !connectedBefore
      log(`status: ${now.status}${first ? ` (${Date.now() - joinedAt} ms after the join)` : ''}`)
      if (first) connectedBefore = true
    }
    if (now.peers.length !== peers) log(`peers: ${now.peers.length}`)
    status = now.status
    peers = now.peers.length
    if (now.isEnded) end(now.error)
  })

  call.start()
  joinedAt = Date.now()
  api().join()

  return {
    call,
    ended,
    async stop() {
      api().hangUp()
      await ended
      call.stop()
      camera.stop()
    },
  }
}
