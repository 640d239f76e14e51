import type { DataMessage } from '../shared/shared.types'
import { createFileReceiver } from './fileReceiver'
import { createFileSender } from './fileSender'
import type { FileReport } from './transfer.types'

/** File transfers in both directions over one connection's file channel. */
export interface FileChannel {
  /** Takes a message of the file channel. */
  receive(data: DataMessage): void
  /** Queues a file to send. */
  send(transferId: string, file: Blob, name: string): void
  /** Cancels a transfer either way; tells the sender when it is an incoming one. */
  cancel(transferId: string): void
}

/**
 * The sender and the receiver of one connection's file channel. Loaded on first use (a file to
 * send or one arriving): a call that never sends a file does not ship this code.
 */
export function openFileChannel(
  files: RTCDataChannel,
  report: (fileReport: FileReport) => void,
): FileChannel {
  const sender = createFileSender(files, report)
  const receiver = createFileReceiver(report, (id, bytes) => {
    if (files.readyState === 'open') files.send(JSON.stringify({ t: 'ack', id, bytes }))
  })
  return {
    receive(data) {
      const forSender = receiver.receive(data)
      if (forSender?.t === 'cancel') sender.cancel(forSender.id)
      if (forSender?.t === 'ack') sender.acknowledge(forSender.id, forSender.bytes)
    },
    send: (transferId, file, name) => sender.send(transferId, file, name),
    cancel(transferId) {
      if (sender.cancel(transferId)) return
      if (receiver.cancel(transferId) && files.readyState === 'open') {
        files.send(JSON.stringify({ t: 'cancel', id: transferId }))
      }
    },
  }
}
