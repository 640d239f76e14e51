export type { ProtocolError } from './errors'
export { ErrorCode, failure, isErrorCode } from './errors'
export type {
  Ack,
  AuthRefreshRequest,
  AuthRefreshResult,
  AuthRefreshSuccess,
  CandidateSignal,
  ClientToServerEvents,
  DescriptionSignal,
  Failure,
  IceCandidateData,
  IceRefreshResult,
  IceRefreshSuccess,
  IceServerData,
  IncomingSignal,
  JoinRequest,
  JoinResult,
  JoinSuccess,
  LeaveReason,
  OfferSignal,
  OutgoingSignal,
  PeerAway,
  PeerInfo,
  PeerLeft,
  ResumeClaim,
  ServerToClientEvents,
  Signal,
} from './events'
export { CLIENT_EVENTS } from './events'
export {
  DEFAULT_ROOM_CAPACITY,
  MAX_AUTH_TOKEN_LENGTH,
  MAX_CANDIDATE_LENGTH,
  MAX_ID_LENGTH,
  MAX_MESSAGE_BYTES,
  MAX_ROOM_CAPACITY,
  MAX_ROOM_ID_LENGTH,
  MAX_SDP_LENGTH,
  MAX_TOKEN_LENGTH,
  ROOM_ID_PATTERN,
} from './limits'
export type { Parsed } from './validate'
export {
  isRoomId,
  parseAuthRefresh,
  parseJoinRequest,
  parseOutgoingSignal,
  parsePeerAway,
  parseSignal,
} from './validate'
