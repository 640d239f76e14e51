import type { CallError } from '@duet/core'

// What the person in front of the camera can do about each failure; the core's message is the fallback.
const HINTS: Partial<Record<CallError['code'], string>> = {
  'media-denied':
    'Camera or microphone access was blocked. Allow it in the site settings of your browser, then reload.',
  'no-device': 'No camera or microphone was found. Plug one in, then reload.',
  'device-busy': 'Your camera or microphone is in use by another app. Close it, then reload.',
  'media-failed': 'Your camera or microphone could not be started.',
  'signaling-unreachable':
    'The call server cannot be reached. Check your connection and try again.',
  'connection-failed':
    'The connection to the other person failed. A firewall may block direct calls on this network.',
  UNAUTHORIZED: 'You are not allowed to join this room.',
  RATE_LIMITED: 'Too many attempts. Wait a moment and try again.',
}

const PEOPLE = ['no one', 'one person', 'two people', 'three people', 'four people']

// The server's refusal names the room's limit ("it holds at most 4 peers"); say it in words.
function roomFullHint(error: CallError): string {
  const limit = Number(/at most (\d+)/.exec(error.message)?.[1] ?? 2)
  const people = PEOPLE[limit] ?? `${limit} people`
  return `This room already has ${people} in it. Start a new room instead.`
}

/** A sentence to show for a call error. */
export function describeError(error: CallError): string {
  if (error.code === 'ROOM_FULL') return roomFullHint(error)
  return HINTS[error.code] ?? error.message
}

/** Which full-page screen a failed call shows: each one offers its own way out. */
export type FailureKind = 'media' | 'room-full' | 'unreachable' | 'other'

const MEDIA_CODES: readonly CallError['code'][] = [
  'media-denied',
  'no-device',
  'device-busy',
  'media-failed',
]

/** The screen for an error. */
export function failureKind(error: CallError | null): FailureKind {
  if (!error) return 'other'
  if (MEDIA_CODES.includes(error.code)) return 'media'
  if (error.code === 'ROOM_FULL') return 'room-full'
  if (error.code === 'signaling-unreachable') return 'unreachable'
  return 'other'
}

/** True for the errors of local media (denied, missing, busy), which receive-only can get past. */
export function isMediaError(error: CallError | null): boolean {
  return failureKind(error) === 'media'
}

const TITLES: Record<FailureKind, string> = {
  media: 'Camera or microphone unavailable',
  'room-full': 'This room is full',
  unreachable: 'Can’t reach the call server',
  other: 'The call failed',
}

/** The heading of a failure screen. */
export function failureTitle(kind: FailureKind): string {
  return TITLES[kind]
}
