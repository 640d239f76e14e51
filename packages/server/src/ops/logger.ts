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
}

// Errors do not survive JSON.stringify (it yields `{}`); keep what helps an operator.
function toJson(_key: string, value: unknown): unknown {
  if (value instanceof Error)
    return { name: value.name, message: value.message, stack: value.stack }
  if (typeof value === 'bigint') return value.toString()
  return value
}

/**
 * A logger writing one JSON object per line (`time`, `level`, `msg`, then the context fields),
 * the shape log shippers (Loki, CloudWatch, Elasticsearch) ingest without parsing rules.
 * @example createJsonLogger(process.stderr, 'info').info('peer joined', { roomId: 'lobby' })
 */
export function createJsonLogger(
  sink: TextSink,
  level: LogLevel = 'info',
  now: () => Date = () => new Date(),
): Logger {
  const threshold = LOG_LEVELS.indexOf(level)
  const at = (entryLevel: Exclude<LogLevel, 'silent'>) => {
    if (LOG_LEVELS.indexOf(entryLevel) < threshold) return ignore
    return (msg: string, context?: LogContext): void => {
      const entry = { time: now().toISOString(), level: entryLevel, msg, ...context }
      let text: string
      try {
        text = JSON.stringify(entry, toJson)
      } catch {
        // A circular context must not take the server down with it.
        text = JSON.stringify({
          time: entry.time,
          level: entryLevel,
          msg,
          context: 'unserializable',
        })
      }
      sink.write(`${text}\n`)
    }
  }
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    enabled: (entryLevel) => LOG_LEVELS.indexOf(entryLevel) >= threshold,
  }
}
