export { jwtAuthenticator } from './auth'
export type { Authenticate, AuthResult, Grant, Handshake } from './auth.types'
export type { CliConfig, Env } from './config'
export { ConfigError, optionsFromEnv, parseConfig, toServerOptions } from './config'
export { createSignalingServer } from './createSignalingServer'
export {
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_PATH,
  DEFAULT_PORT,
  DEFAULT_RECOVERY_WINDOW_MS,
  DEFAULT_RESUME_WINDOW_MS,
  DEFAULT_TURN_TTL_SECONDS,
} from './defaults'
export type { JwtClaims, JwtRefusal, JwtResult } from './jwt'
export { signHs256, verifyHs256 } from './jwt'
export type { LogContext, Logger, LogLevel, TextSink } from './logger'
export { createJsonLogger, LOG_LEVELS, silentLogger } from './logger'
export type { RateLimit } from './rateLimit'
export { DEFAULT_RATE_LIMIT } from './rateLimit'
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
} from './server.types'
export type { ServerMetrics } from './serverMetrics'
export type { IceGrant, TurnSettings } from './turn'
export { turnCredential } from './turn'
