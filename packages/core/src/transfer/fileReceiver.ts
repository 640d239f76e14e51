import { sha256Hex } from './sha256'
import type { FileControl, FileReport } from './transfer.types'

const PROGRESS_STEP_BYTES = 256 * 1024
/** Largest file a receiver accepts: it is held in memory until its hash is checked. */
export const MAX_FILE_BYTES = 1024 * 1024 * 1024
// Acknowledge at a quarter of the sender's window, so it never stalls waiting for one.
const ACK_STEP_BYTES = 256 * 1024

interface Incoming {
  id: string
  name: string
  size: number
  mimeType: string
  sha256: string
  buffer: Uint8Array<ArrayBuffer> | null
  bytes: number
  lastReported: number
  lastAcked: number
}

function parseControl(text: string): FileControl | null {
  try {
    const message = JSON.parse(text) as Partial<FileControl> | null
    if (!message || typeof message.id !== 'string') return null
    if (message.t === 'end' || message.t === 'cancel') return message as FileControl
    if (message.t === 'ack' && typeof message.bytes === 'number') return message as FileControl
    if (
      message.t === 'start' &&
      typeof message.name === 'string' &&
      typeof message.size === 'number' &&
      typeof message.sha256 === 'string'
    ) {
      return { ...message, mimeType: message.mimeType ?? '' } as FileControl
    }
    return null
  } catch {
    return null
  }
}

/**
 * Reassembles files from the file channel and hands them over only when their size and
 * SHA-256 match what the sender announced.
 */
export function createFileReceiver(
  report: (r: FileReport) => void,
  acknowledge: (transferId: string, bytes: number) => void,
) {
  let current: Incoming | null = null

  async function finish(transfer: Incoming) {
    const { id: transferId, name } = transfer
    const { buffer } = transfer
    if (!buffer || transfer.bytes !== transfer.size) {
      return report({
        kind: 'failed',
        direction: 'receive',
        transferId,
        name,
        reason: 'size-mismatch',
      })
    }
    const sha256 = await sha256Hex(buffer.buffer)
    // One part, not thousands of chunks: Node 20's Blob never resolves a second arrayBuffer()
    // read of a Blob made of that many parts.
    const file = new Blob([buffer], { type: transfer.mimeType })
    if (sha256 !== transfer.sha256) {
      return report({
        kind: 'failed',
        direction: 'receive',
        transferId,
        name,
        reason: 'hash-mismatch',
      })
    }
    report({
      kind: 'received',
      transferId,
      name,
      size: transfer.size,
      mimeType: transfer.mimeType,
      sha256,
      file,
    })
  }

  return {
    /**
     * Handles one message of the file channel. Returns what concerns this side's sender: a
     * transfer the peer cancelled or acknowledged.
     */
    receive(data: string | ArrayBuffer): Extract<FileControl, { t: 'cancel' | 'ack' }> | null {
      if (typeof data !== 'string') {
        if (!current) return null
        const end = current.bytes + data.byteLength
        if (current.buffer && end <= current.size)
          current.buffer.set(new Uint8Array(data), current.bytes)
        // Past the announced size the transfer can only fail; stop holding its bytes.
        else current.buffer = null
        current.bytes = end
        if (current.bytes - current.lastAcked >= ACK_STEP_BYTES) {
          current.lastAcked = current.bytes
          acknowledge(current.id, current.bytes)
        }
        if (current.bytes - current.lastReported >= PROGRESS_STEP_BYTES) {
          current.lastReported = current.bytes
          const { id: transferId, name, bytes, size: total } = current
          report({
            kind: 'progress',
            direction: 'receive',
            transferId,
            name,
            bytes,
            total,
            bufferedAmount: 0,
            inFlight: 0,
          })
        }
        return null
      }
      const message = parseControl(data)
      if (!message) return null
      if (message.t === 'ack') return message
      if (message.t === 'start') {
        // Allocated once at the announced size, so a lying sender can't make us grow it.
        const buffer = message.size <= MAX_FILE_BYTES ? new Uint8Array(message.size) : null
        current = { ...message, buffer, bytes: 0, lastReported: 0, lastAcked: 0 }
        return null
      }
      if (!current || current.id !== message.id) return message.t === 'cancel' ? message : null
      const transfer = current
      current = null
      if (message.t === 'cancel') {
        report({
          kind: 'cancelled',
          direction: 'receive',
          transferId: transfer.id,
          name: transfer.name,
        })
        return null
      }
      void finish(transfer)
      return null
    },
    /** Abandons the transfer being received; returns its id so the sender can be told. */
    cancel(transferId: string): boolean {
      if (current?.id !== transferId) return false
      report({ kind: 'cancelled', direction: 'receive', transferId, name: current.name })
      current = null
      return true
    },
  }
}
