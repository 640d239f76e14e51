export type { CallApi } from './call/call.api'
export type { CallSnapshot } from './call/call.connect'
export { callStatus, connectCall } from './call/call.connect'
export type { CallContext } from './call/call.machine'
export { callMachine } from './call/call.machine'
export { sessionStatus } from './call/call.peers'
export type {
  CallCommand,
  CallEmitted,
  CallError,
  CallErrorCode,
  CallEvent,
  CallOptions,
  CallStatus,
  DataMessage,
  MediaErrorCode,
  PeerStatus,
  PeerView,
  Platform,
} from './call/call.types'
export type { CallActor } from './call/createCall'
export { createCall } from './call/createCall'
export type { MermaidOptions, TransitionRow } from './diagram/diagram.types'
export { toMarkdownTable } from './diagram/toMarkdownTable'
export { toMermaid } from './diagram/toMermaid'
export { toTransitionTable } from './diagram/toTransitionTable'
export { peerMachine } from './peer/peer.machine'
export type { PeerInput } from './peer/peer.types'
export type { SocketSignalingOptions } from './signaling/createSocketSignaling'
export { createSocketSignaling } from './signaling/createSocketSignaling'
export { SignalingError } from './signaling/SignalingError'
export type { SignalingNotice, SignalingTransport } from './signaling/signaling.types'
