/** What a redacted value is replaced with in a log line. */
export const REDACTED = '[redacted]'

// Keys whose values are secrets wherever they appear, at any depth pino's paths reach.
const SECRET_KEYS = [
  'token',
  'accessToken',
  'refreshToken',
  'resumeToken',
  'password',
  'secret',
  'jwtSecret',
  'resumeSecret',
  'turnSecret',
  'credential',
  'authorization',
  'cookie',
]

/** pino `redact` paths: the secret keys at the top level and two levels down (handshake.auth.token). */
export const REDACT_PATHS: readonly string[] = SECRET_KEYS.flatMap((key) => [
  key,
  `*.${key}`,
  `*.*.${key}`,
])

// scheme://user:password@host → scheme://user:[redacted]@host; scheme://token@host → [redacted].
const USERINFO = /\b([a-z][a-z\d+.-]*:\/\/)([^\s/?#@:]*)(:[^\s/?#@]*)?@/gi
// ?api_key=…, &token=…, &X-Amz-Signature=…: a query parameter whose name says it is a secret.
const SECRET_QUERY =
  /([?&;][^=&#\s]*(?:token|secret|password|passwd|pwd|key|signature|sig|auth|credential)[^=&#\s]*=)[^&#\s"']*/gi

/** `text` with the credentials in any URL it contains replaced by {@link REDACTED}. */
export function redactUrls(text: string): string {
  if (!text.includes('://') && !text.includes('=')) return text
  return text
    .replace(USERINFO, (_match, scheme: string, user: string, password?: string) =>
      password !== undefined ? `${scheme}${user}:${REDACTED}@` : `${scheme}${REDACTED}@`,
    )
    .replace(SECRET_QUERY, `$1${REDACTED}`)
}

const MAX_DEPTH = 6

/**
 * A copy of a log entry's fields with URL credentials redacted in every string, Errors turned
 * into plain `{ name, message, stack, code }` (redacted too: a Redis error can quote its URL),
 * cycles and depth cut. Runs once per written entry, never on the relay path unless at debug.
 */
export function redactFields(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  if (typeof value === 'string') return redactUrls(value)
  if (typeof value !== 'object' || value === null) return value
  if (seen.has(value)) return '[Circular]'
  if (depth >= MAX_DEPTH) return '[Object]'
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code
    return {
      name: value.name,
      message: redactUrls(value.message),
      ...(value.stack !== undefined ? { stack: redactUrls(value.stack) } : {}),
      ...(code !== undefined ? { code } : {}),
    }
  }
  const toJson = (value as { toJSON?: unknown }).toJSON
  if (typeof toJson === 'function') return redactFields(toJson.call(value), seen, depth + 1)
  seen.add(value)
  let copy: unknown
  if (Array.isArray(value)) copy = value.map((item) => redactFields(item, seen, depth + 1))
  else {
    const fields: Record<string, unknown> = {}
    for (const [key, field] of Object.entries(value))
      fields[key] = redactFields(field, seen, depth + 1)
    copy = fields
  }
  // Only an object inside itself is a cycle; one shared by two fields is written twice.
  seen.delete(value)
  return copy
}
