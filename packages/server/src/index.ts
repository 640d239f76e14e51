export { jwtAuthenticator } from './auth/authenticate'
export type { Authenticate, AuthResult, Grant, Handshake } from './auth/authTypes'
export type { JwtClaims, JwtRefusal, JwtResult } from './auth/jwt'
export { signHs256, verifyHs256 } from './auth/jwt'
export type { IceGrant, TurnSettings } from './auth/turnCredentials'
export { turnCredential } from './auth/turnCredentials'
export type { CliConfig, Env } from './config/cliConfig'
export { ConfigError, optionsFromEnv, parseConfig, toServerOptions } from './config/cliConfig'
export {
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_PATH,
  DEFAULT_PORT,
  DEFAULT_RECOVERY_WINDOW_MS,
  DEFAULT_RESUME_WINDOW_MS,
  DEFAULT_TURN_TTL_SECONDS,
} from './config/defaults'
export { createSignalingServer } from './createSignalingServer'
export type { LogContext, Logger, LogLevel, TextSink } from './ops/logger'
export { createJsonLogger, LOG_LEVELS, silentLogger } from './ops/logger'
export type { ServerMetrics } from './ops/serverMetrics'
export type { RateLimit } from './requests/rateLimit'
export { DEFAULT_RATE_LIMIT } from './requests/rateLimit'
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
