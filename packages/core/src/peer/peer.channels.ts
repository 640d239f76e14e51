import type { DataMessage } from '../shared/shared.types'
import { createFileReceiver } from '../transfer/fileReceiver'
import { createFileSender } from '../transfer/fileSender'
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

  const sender = createFileSender(files, hooks.file)
  const receiver = createFileReceiver(hooks.file, (id, bytes) => {
    if (files.readyState === 'open') files.send(JSON.stringify({ t: 'ack', id, bytes }))
  })
  files.onmessage = ({ data }: MessageEvent<DataMessage>) => {
    const forSender = receiver.receive(data)
    if (forSender?.t === 'cancel') sender.cancel(forSender.id)
    if (forSender?.t === 'ack') sender.acknowledge(forSender.id, forSender.bytes)
  }

  return {
    send(data: DataMessage) {
      if (messages.readyState === 'open') return transmit(data)
      if (outbox.length >= MAX_QUEUED_MESSAGES) {
        return hooks.error('data channel not open and its queue is full; message dropped')
      }
      outbox.push(data)
    },
    sendFile(transferId: string, file: Blob, name: string) {
      sender.send(transferId, file, name)
    },
    cancelFile(transferId: string) {
      if (sender.cancel(transferId)) return
      if (receiver.cancel(transferId) && files.readyState === 'open') {
        files.send(JSON.stringify({ t: 'cancel', id: transferId }))
      }
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
