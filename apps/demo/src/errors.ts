import type { CallError } from '@duet/core'

// What the person in front of the camera can do about each failure; the core's message is the fallback.
const HINTS: Partial<Record<CallError['code'], string>> = {
  'media-denied':
    'Camera or microphone access was blocked. Allow it in the site settings of your browser, then reload.',
  'no-device': 'No camera or microphone was found. Plug one in, then reload.',
  'device-busy': 'Your camera or microphone is in use by another app. Close it, then reload.',
  'media-failed': 'Your camera or microphone could not be started.',
  ROOM_FULL: 'This room already has two people in it. Start a new room instead.',
  'signaling-unreachable':
    'The call server cannot be reached. Check your connection and try again.',
  'connection-failed':
    'The connection to the other person failed. A firewall may block direct calls on this network.',
  UNAUTHORIZED: 'You are not allowed to join this room.',
  RATE_LIMITED: 'Too many attempts. Wait a moment and try again.',
}

/** A sentence to show for a call error. */
export function describeError(error: CallError): string {
  return HINTS[error.code] ?? error.message
}
