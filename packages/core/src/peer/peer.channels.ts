import type { DataMessage } from '../shared/shared.types'
import type { FileChannel } from '../transfer/fileChannel'
import type { FileReport } from '../transfer/transfer.types'

// Messages sent before the channel opens wait for it, up to this many.
const MAX_QUEUED_MESSAGES = 1024

/** The two data channels of a peer connection, before anyone listens to them. */
export interface ChannelPair {
  messages: RTCDataChannel
  files: RTCDataChannel
}

/**
 * Creates the two negotiated data channels: `duet` for messages and `duet-file` for files, so a
 * large transfer never delays a chat line. Negotiated ids need no `datachannel` event, and
 * either side may create them first.
 */
export function createChannelPair(pc: RTCPeerConnection): ChannelPair {
  const messages = pc.createDataChannel('duet', { negotiated: true, id: 0, ordered: true })
  const files = pc.createDataChannel('duet-file', { negotiated: true, id: 1, ordered: true })
  messages.binaryType = 'arraybuffer'
  files.binaryType = 'arraybuffer'
  return { messages, files }
}

/** Messages and file transfers over a connection's channel pair. */
export function openChannels(
  { messages, files }: ChannelPair,
  hooks: {
    message: (data: DataMessage) => void
    file: (report: FileReport) => void
    error: (message: string) => void
  },
) {
  const outbox: DataMessage[] = []
  // The overloads of send() take each type separately.
  const transmit = (data: DataMessage) =>
    typeof data === 'string' ? messages.send(data) : messages.send(data)
  messages.onopen = () => {
    for (const data of outbox.splice(0)) transmit(data)
  }
  messages.onmessage = ({ data }: MessageEvent<DataMessage>) => hooks.message(data)

  // File transfer is its own chunk, fetched on first use. Everything for it goes through one
  // promise, so messages, sends and cancels keep their order while it loads and after.
  let fileChannel: Promise<FileChannel | null> | null = null
  const withFiles = (use: (channel: FileChannel) => void) => {
    fileChannel ??= import('../transfer/fileChannel').then(
      ({ openFileChannel }) => openFileChannel(files, hooks.file),
      (error: unknown) => {
        fileChannel = null // a chunk that failed to load (a network blip) may load next time
        hooks.error(`file transfer unavailable: ${String(error)}`)
        return null
      },
    )
    void fileChannel.then((channel) => channel && use(channel))
  }
  files.onmessage = ({ data }: MessageEvent<DataMessage>) =>
    withFiles((channel) => channel.receive(data))

  return {
    send(data: DataMessage) {
      if (messages.readyState === 'open') return transmit(data)
      if (outbox.length >= MAX_QUEUED_MESSAGES) {
        return hooks.error('data channel not open and its queue is full; message dropped')
      }
      outbox.push(data)
    },
    sendFile(transferId: string, file: Blob, name: string) {
      withFiles((channel) => channel.send(transferId, file, name))
    },
    cancelFile(transferId: string) {
      withFiles((channel) => channel.cancel(transferId))
    },
    close() {
      for (const channel of [messages, files]) {
        channel.onopen = null
        channel.onmessage = null
        channel.close()
      }
    },
  }
}
