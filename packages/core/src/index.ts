export type { CallApi, SendFileOptions } from './call/call.api'
export type { CallSnapshot } from './call/call.connect'
export { callStatus, connectCall } from './call/call.connect'
export type { CallErrorEvent, CallListener, CallListeners } from './call/call.listeners'
export { callListeners } from './call/call.listeners'
export type { CallContext } from './call/call.machine'
export { callMachine, DEFAULT_HEALING } from './call/call.machine'
export { sessionStatus } from './call/call.peers'
export type {
  CallCommand,
  CallEmitted,
  CallEvent,
  CallFileEvent,
  CallHealingOptions,
  CallMessage,
  CallOptions,
  CallStatus,
  InspectionObserver,
  NetworkEvents,
  PageEvents,
  PageEventType,
  PeerPresence,
  PeerView,
  Platform,
  WakeEvent,
} from './call/call.types'
export type { CallActor } from './call/createCall'
export { createCall } from './call/createCall'
export type { DeviceInfo, LocalMediaState, MediaDevicesLike } from './media/media.types'
export { playMedia } from './media/playMedia'
export { peerMachine } from './peer/peer.machine'
export type { PeerStats } from './peer/peer.stats'
export type { HealingOptions, PeerInput, PeerReport, PeerStatus } from './peer/peer.types'
export {
  GROUP_VIDEO_MAX_BPS,
  GROUP_VIDEO_UPLINK_BPS,
  videoBitrateCap,
} from './peer/videoBitrateCap'
export type { VideoQualitySettings } from './peer/videoQuality'
export type {
  CallError,
  CallErrorCode,
  DataMessage,
  MediaErrorCode,
  RelayedCommand,
  SignalingErrorCode,
  VideoQuality,
} from './shared/shared.types'
export type { SocketSignalingOptions } from './signaling/createSocketSignaling'
export { createSocketSignaling } from './signaling/createSocketSignaling'
export { SignalingError } from './signaling/SignalingError'
export type {
  JoinOptions,
  SignalingNotice,
  SignalingTransport,
} from './signaling/signaling.types'
export type {
  SocketAuth,
  SocketClientOptions,
  TransportName,
} from './signaling/socketio/socketio.types'
export type { AudioLevelsReport, AudioSources } from './stats/audioSources'
export type { ConnectionQuality, QualitySample } from './stats/connectionQuality'
export {
  connectionQuality,
  LOST_AFTER_SAMPLES,
  QUALITY_THRESHOLDS,
  QUALITY_WINDOW,
} from './stats/connectionQuality'
export type { AudioActivity } from './stats/speaking'
export { SPEAKING_THRESHOLDS } from './stats/speaking'
export {
  FILE_CHUNK_BYTES,
  FILE_HIGH_WATER_BYTES,
  FILE_WINDOW_BYTES,
} from './transfer/transfer.limits'
export type { FileReport, TransferDirection } from './transfer/transfer.types'
