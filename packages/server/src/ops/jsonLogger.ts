import { pino } from 'pino'
import { fromPino, type Logger, type LogLevel, type TextSink } from './logger'
import { REDACT_PATHS, REDACTED, redactFields } from './redact'

/**
 * A pino logger writing one JSON object per line (`time` in ISO 8601, `level` by name, `msg`,
 * then the context fields), the shape log shippers (Loki, CloudWatch, Elasticsearch) ingest
 * without parsing rules. Secrets are redacted: fields named like one (`token`, `password`,
 * `secret`, `authorization`…) and credentials inside URLs (`redis://:pw@…`, `?api_key=…`).
 * @example createJsonLogger(process.stderr, 'info').info('peer joined', { roomId: 'lobby' })
 */
export function createJsonLogger(
  sink: TextSink,
  level: LogLevel = 'info',
  now: () => Date = () => new Date(),
): Logger {
  const logger = pino(
    {
      level,
      // No pid or hostname on every line: the process supervisor and the shipper add those.
      base: undefined,
      timestamp: () => `,"time":"${now().toISOString()}"`,
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => redactFields(fields) as Record<string, unknown>,
      },
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    },
    // pino takes any object with write(): the sink gets each line as one string.
    { write: (line: string) => sink.write(line) },
  )
  return fromPino(logger)
}
