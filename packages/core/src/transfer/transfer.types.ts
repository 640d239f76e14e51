/** Which way a transfer goes, seen from this side. */
export type TransferDirection = 'send' | 'receive'

/** What happens to a file transfer, reported on both sides. */
export type FileReport =
  | {
      kind: 'progress'
      direction: TransferDirection
      transferId: string
      name: string
      bytes: number
      total: number
      /** The data channel's send buffer at this point (sender only), to show backpressure holds. */
      bufferedAmount: number
      /** Bytes sent but not yet acknowledged by the receiver (sender only). */
      inFlight: number
    }
  | { kind: 'sent'; transferId: string; name: string; size: number }
  | {
      kind: 'received'
      transferId: string
      name: string
      size: number
      mimeType: string
      /** Hex SHA-256 the sender announced and the receiver verified. */
      sha256: string
      file: Blob
    }
  | { kind: 'cancelled'; direction: TransferDirection; transferId: string; name: string }
  | {
      kind: 'failed'
      direction: TransferDirection
      transferId: string
      name: string
      reason: 'size-mismatch' | 'hash-mismatch' | 'channel-closed' | 'read-failed'
    }

/** Control messages of the file channel; chunks travel as bare binary messages between start and end. */
export type FileControl =
  | { t: 'start'; id: string; name: string; size: number; mimeType: string; sha256: string }
  | { t: 'end'; id: string }
  | { t: 'ack'; id: string; bytes: number }
  | { t: 'cancel'; id: string }
