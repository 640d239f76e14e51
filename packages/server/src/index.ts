export { jwtAuthenticator } from './auth/authenticate'
export type { Authenticate, AuthResult, Grant, Handshake } from './auth/authTypes'
export { signHs256 } from './auth/jwt'
export type {
  JwtKeySource,
  JwtVerifier,
  JwtVerifierOptions,
  RefusedJwt,
  VerifiedJwt,
} from './auth/jwtVerifier'
export {
  createJwtVerifier,
  HMAC_ALGORITHMS,
  JWT_LEEWAY_SECONDS,
  PUBLIC_KEY_ALGORITHMS,
} from './auth/jwtVerifier'
export { DEFAULT_RESUME_TOKEN_TTL_MS } from './auth/resumeTokens'
export type { IceGrant, TurnSettings } from './auth/turnCredentials'
export { turnCredential } from './auth/turnCredentials'
export type { CliConfig, Env } from './config/cliConfig'
export { ConfigError, optionsFromEnv, parseConfig, toServerOptions } from './config/cliConfig'
export {
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_HOST,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_CONNECTIONS_PER_IP,
  DEFAULT_MAX_HELD_BYTES,
  DEFAULT_MAX_MAILBOX_BYTES,
  DEFAULT_MAX_ROOM_BYTES,
  DEFAULT_PATH,
  DEFAULT_PORT,
  DEFAULT_RECOVERY_WINDOW_MS,
  DEFAULT_RESUME_WINDOW_MS,
  DEFAULT_TURN_TTL_SECONDS,
} from './config/defaults'
export type { ExposureSettings } from './config/exposure'
export { exposureRefusal, isLoopback } from './config/exposure'
export { MIN_SECRET_BYTES } from './config/rules'
export { createSignalingServer } from './createSignalingServer'
export { createJsonLogger } from './ops/jsonLogger'
export type { LogContext, Logger, LogLevel, PinoLike, TextSink } from './ops/logger'
export { fromPino, LOG_LEVELS, silentLogger } from './ops/logger'
export type { ServerMetrics } from './ops/serverMetrics'
export type { RateLimit } from './requests/rateLimit'
export {
  DEFAULT_JOIN_RATE_PER_IP,
  DEFAULT_RATE_LIMIT,
  DEFAULT_RATE_LIMIT_PER_IP,
} from './requests/rateLimit'
export type {
  AnyHttpServer,
  AttachOptions,
  CommonOptions,
  InterServerEvents,
  ListenOptions,
  Membership,
  ServerAddress,
  SignalingIo,
  SignalingServer,
  SignalingServerOptions,
  SignalingSocket,
  SocketData,
  Transport,
} from './serverTypes'
