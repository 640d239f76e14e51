/** Where the server reports what happens; `console` fits. */
export interface Logger {
  /** Routine events: joins and leaves. */
  info(message: string, context?: Record<string, unknown>): void
  /** Something odd that the server survived. */
  warn(message: string, context?: Record<string, unknown>): void
  /** A failure the server caught, such as a handler that threw. */
  error(message: string, context?: Record<string, unknown>): void
}

const ignore = (): void => {}

/** A logger that drops everything: the library default, so embedding the server prints nothing. */
export const silentLogger: Logger = { info: ignore, warn: ignore, error: ignore }

/** Something that takes text, such as `process.stderr`. */
export interface TextSink {
  /** Writes a chunk of text. */
  write(chunk: string): unknown
}

// Errors do not survive JSON.stringify (it yields `{}`), so log their stack instead.
const describe = (value: unknown): unknown =>
  value instanceof Error ? (value.stack ?? `${value.name}: ${value.message}`) : value

function line(level: string, message: string, context?: Record<string, unknown>): string {
  if (!context) return `duet-server ${level}: ${message}\n`
  const details = JSON.stringify(context, (_key, value: unknown) => describe(value))
  return `duet-server ${level}: ${message} ${details}\n`
}

/** A logger writing one line per warning or error to a sink; info stays quiet until a log level exists. */
export function createLineLogger(sink: TextSink): Logger {
  return {
    info: ignore,
    warn: (message, context) => sink.write(line('warn', message, context)),
    error: (message, context) => sink.write(line('error', message, context)),
  }
}
