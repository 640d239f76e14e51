import { sha256Hex } from './sha256'
import type { FileControl, FileReport } from './transfer.types'

const PROGRESS_STEP_BYTES = 256 * 1024

interface Incoming {
  id: string
  name: string
  size: number
  mimeType: string
  sha256: string
  parts: ArrayBuffer[]
  bytes: number
  lastReported: number
}

function parseControl(text: string): FileControl | null {
  try {
    const message = JSON.parse(text) as Partial<FileControl> | null
    if (!message || typeof message.id !== 'string') return null
    if (message.t === 'end' || message.t === 'cancel') return message as FileControl
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
export function createFileReceiver(report: (r: FileReport) => void) {
  let current: Incoming | null = null

  async function finish(transfer: Incoming) {
    const { id: transferId, name } = transfer
    if (transfer.bytes !== transfer.size) {
      return report({
        kind: 'failed',
        direction: 'receive',
        transferId,
        name,
        reason: 'size-mismatch',
      })
    }
    const file = new Blob(transfer.parts, { type: transfer.mimeType })
    const sha256 = await sha256Hex(await file.arrayBuffer())
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
    /** Handles one message of the file channel; returns the id of a transfer the peer cancelled. */
    receive(data: string | ArrayBuffer): string | null {
      if (typeof data !== 'string') {
        if (!current) return null
        current.parts.push(data)
        current.bytes += data.byteLength
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
          })
        }
        return null
      }
      const message = parseControl(data)
      if (!message) return null
      if (message.t === 'start') {
        current = { ...message, parts: [], bytes: 0, lastReported: 0 }
        return null
      }
      if (!current || current.id !== message.id) return message.t === 'cancel' ? message.id : null
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
