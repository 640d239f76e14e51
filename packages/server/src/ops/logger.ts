/** Fields attached to a log entry. */
export type LogContext = Record<string, unknown>

/** Where the server reports what happens; `console` fits. */
export interface Logger {
  /** Per-message detail: relays, refusals. Off unless asked for. */
  debug(message: string, context?: LogContext): void
  /** Routine events: joins, leaves, resumes, draining. */
  info(message: string, context?: LogContext): void
  /** Something odd that the server survived. */
  warn(message: string, context?: LogContext): void
  /** A failure the server caught, such as a handler that threw. */
  error(message: string, context?: LogContext): void
  /**
   * Whether entries of `level` are written. Optional: without it every level counts as written.
   * The server asks before building the context of a per-message entry, which would otherwise
   * be made and thrown away on every relay.
   */
  enabled?(level: Exclude<LogLevel, 'silent'>): boolean
}

/** How much a logger writes, from everything (`debug`) to nothing (`silent`). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

/** The levels in increasing order of severity, `silent` last. */
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent']

const ignore = (): void => {}

/** A logger that drops everything: the library default, so embedding the server prints nothing. */
export const silentLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  enabled: () => false,
}

/** Whether `logger` writes entries of `level`. */
export const logs = (logger: Logger, level: Exclude<LogLevel, 'silent'>): boolean =>
  logger.enabled?.(level) ?? true

/** Something that takes text, such as `process.stderr`. */
export interface TextSink {
  /** Writes a chunk of text. */
  write(chunk: string): unknown
  /** Whether it is a terminal, where `duet-server` writes readable lines instead of JSON. */
  isTTY?: boolean
}

/**
 * A pino logger, or anything with its calling convention (`info(fields, message)`) and
 * `isLevelEnabled`.
 */
export interface PinoLike {
  /** pino's `debug(fields, message)`. */
  debug(fields: object, message: string): void
  /** pino's `info(fields, message)`. */
  info(fields: object, message: string): void
  /** pino's `warn(fields, message)`. */
  warn(fields: object, message: string): void
  /** pino's `error(fields, message)`. */
  error(fields: object, message: string): void
  /** pino's level check. */
  isLevelEnabled(level: string): boolean
}

/**
 * The {@link Logger} of a pino logger you already have, so the server's entries join your
 * application's log with its settings (level, redaction, transports).
 * @example createSignalingServer({ logger: fromPino(pino({ level: 'debug' })) })
 */
export function fromPino(pino: PinoLike): Logger {
  return {
    debug: (message, context) => pino.debug(context ?? {}, message),
    info: (message, context) => pino.info(context ?? {}, message),
    warn: (message, context) => pino.warn(context ?? {}, message),
    error: (message, context) => pino.error(context ?? {}, message),
    enabled: (level) => pino.isLevelEnabled(level),
  }
}
