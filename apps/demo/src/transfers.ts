import type { CallFileEvent } from '@duet/core'
import { formatBytes } from './format'

/** A file transfer as the sidebar lists it. */
export interface Transfer {
  transferId: string
  name: string
  direction: 'send' | 'receive'
  state: 'active' | 'done' | 'cancelled' | 'failed'
  bytes: number
  total: number
  /** An object URL of the received file, for its download link. */
  url: string | null
  /** Why it failed. */
  reason: string | null
}

/**
 * Folds a file report into the list (newest first). A received file becomes an object URL:
 * call {@link releaseTransfers} when the list goes away.
 */
export function applyFileReport(list: Transfer[], { report }: CallFileEvent): Transfer[] {
  const existing = list.find((transfer) => transfer.transferId === report.transferId)
  const base: Transfer = existing ?? {
    transferId: report.transferId,
    name: report.name,
    direction:
      'direction' in report ? report.direction : report.kind === 'sent' ? 'send' : 'receive',
    state: 'active',
    bytes: 0,
    total: 0,
    url: null,
    reason: null,
  }
  let next: Transfer
  switch (report.kind) {
    case 'progress':
      next = { ...base, bytes: report.bytes, total: report.total }
      break
    case 'sent':
      next = { ...base, state: 'done', bytes: report.size, total: report.size }
      break
    case 'received':
      next = {
        ...base,
        state: 'done',
        bytes: report.size,
        total: report.size,
        url: URL.createObjectURL(report.file),
      }
      break
    case 'cancelled':
      next = { ...base, state: 'cancelled' }
      break
    case 'failed':
      next = { ...base, state: 'failed', reason: report.reason }
      break
  }
  return existing
    ? list.map((transfer) => (transfer === existing ? next : transfer))
    : [next, ...list]
}

/** Frees the object URLs of received files. */
export function releaseTransfers(list: Transfer[]): void {
  for (const transfer of list) if (transfer.url) URL.revokeObjectURL(transfer.url)
}

/** `3.1 kB of 12.0 kB`, `12.0 kB`, `cancelled`, … */
export function transferCaption(transfer: Transfer): string {
  if (transfer.state === 'active') {
    return `${formatBytes(transfer.bytes)} of ${formatBytes(transfer.total)}`
  }
  if (transfer.state === 'failed') return `failed (${transfer.reason})`
  if (transfer.state === 'cancelled') return 'cancelled'
  return `${transfer.direction === 'send' ? 'sent' : 'received'}, ${formatBytes(transfer.total)}`
}
