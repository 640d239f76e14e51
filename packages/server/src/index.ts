export { createSignalingServer } from './createSignalingServer'
export { DEFAULT_PATH, DEFAULT_PORT } from './defaults'
export type { Logger, TextSink } from './logger'
export { createLineLogger, silentLogger } from './logger'
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
  SocketData,
} from './server.types'
