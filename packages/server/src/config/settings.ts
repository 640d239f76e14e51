import { createPublicKey } from 'node:crypto'
import { isIP } from 'node:net'
import { LOG_LEVELS, type LogLevel } from '../ops/logger'
import type { RateLimit } from '../requests/rateLimit'
import type { Transport } from '../serverTypes'
import { integerRange, isIntegerIn } from './rules'

/** A command line or environment the CLI cannot run with; its message fits on one line. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** A raw setting and where it came from, so errors can name the flag or variable to fix. */
export interface Source {
  /** The raw text. */
  value: string
  /** The flag (`--port`) or variable (`PORT`) it came from. */
  from: string
}

const invalid = (source: Source, expected: string): ConfigError =>
  new ConfigError(`${source.from} must be ${expected}, got ${JSON.stringify(source.value)}`)

/** An integer from `min` to `max`, digits only. */
export function integer(source: Source, min: number, max: number): number {
  // A digits-only check first: Number('1e3'), Number(' 8 ') and Number('0x10') all parse.
  const value = /^\d+$/.test(source.value) ? Number(source.value) : Number.NaN
  if (!isIntegerIn(value, min, max)) throw invalid(source, `an integer ${integerRange(min, max)}`)
  return value
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const

/** A duration: a number in `unit`, or with its own suffix (`500ms`, `30s`, `5m`, `1h`). */
export function duration(source: Source, unit: 'ms' | 's', min: number): number {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(source.value.trim())
  const value = match
    ? (Number(match[1]) * UNIT_MS[(match[2] as keyof typeof UNIT_MS) ?? unit]) / UNIT_MS[unit]
    : Number.NaN
  if (!isIntegerIn(value, min)) {
    throw invalid(source, `a duration of at least ${min}${unit} (e.g. 30s, 500ms)`)
  }
  return value
}

/** A string that is not blank, trimmed. */
export function nonEmpty(source: Source): string {
  const value = source.value.trim()
  if (value === '') throw new ConfigError(`${source.from} must not be empty`)
  return value
}

/** A comma-separated list, items trimmed, empty ones dropped. */
export function list(source: Source): string[] {
  return source.value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/** One origin or several. */
export function origins(source: Source): string | string[] {
  const all = list(source)
  if (all.length === 0) throw new ConfigError(`${source.from} must list at least one origin`)
  return all.length === 1 ? all[0]! : all
}

/** A URL of one of `protocols` (`'redis:'`); `expected` says so in the error. */
function urlOf(source: Source, protocols: readonly string[], expected: string): string {
  let protocol: string | undefined
  try {
    protocol = new URL(source.value).protocol
  } catch {
    protocol = undefined
  }
  if (protocol === undefined || !protocols.includes(protocol)) {
    throw new ConfigError(`${source.from} must be ${expected}`)
  }
  return source.value
}

/** A `redis://` or `rediss://` URL. */
export const redisUrl = (source: Source): string =>
  urlOf(source, ['redis:', 'rediss:'], 'a redis:// or rediss:// URL')

/** A list of `turn:`, `turns:` or `stun:` URLs. */
export function turnUrls(source: Source): string[] {
  const urls = list(source)
  if (urls.length === 0 || !urls.every((url) => /^(turns?|stuns?):/.test(url))) {
    throw invalid(source, 'a comma-separated list of turn:, turns: or stun: URLs')
  }
  return urls
}

/** One of the log levels. */
export function logLevel(source: Source): LogLevel {
  const level = source.value.trim().toLowerCase()
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw invalid(source, `one of ${LOG_LEVELS.join(', ')}`)
  }
  return level as LogLevel
}

/** `<per second>[:<burst>]`, or `off`/`0` for no limit. */
export function rateLimit(source: Source): RateLimit | false {
  const text = source.value.trim()
  if (text === 'off' || text === '0') return false
  const match = /^(\d+)(?::(\d+))?$/.exec(text)
  const perSecond = match ? Number(match[1]) : Number.NaN
  const burst = match?.[2] !== undefined ? Number(match[2]) : perSecond * 2
  if (!(perSecond >= 1) || !isIntegerIn(burst, 1)) {
    throw invalid(source, '<messages per second>[:<burst>] (e.g. 20:40) or off')
  }
  return { perSecond, burst }
}

/** A list of `polling` and `websocket`. */
export function transports(source: Source): Transport[] {
  const names = list(source)
  if (names.length === 0 || !names.every((name) => name === 'polling' || name === 'websocket')) {
    throw invalid(source, 'a comma-separated list of polling and websocket')
  }
  return [...new Set(names as Transport[])]
}

// Authentication and exposure settings (#13).

/** `true`/`1`/`yes` or `false`/`0`/`no`. */
export function boolean(source: Source): boolean {
  const text = source.value.trim().toLowerCase()
  if (['true', '1', 'yes'].includes(text)) return true
  if (['false', '0', 'no'].includes(text)) return false
  throw invalid(source, 'true or false')
}

/** One value, or several comma-separated. */
export function oneOrMore(source: Source): string | string[] {
  const all = list(source)
  if (all.length === 0) throw new ConfigError(`${source.from} must not be empty`)
  return all.length === 1 ? all[0]! : all
}

/** An `http://` or `https://` URL. */
export const httpUrl = (source: Source): string =>
  urlOf(source, ['http:', 'https:'], 'an http:// or https:// URL')

/** A public key in PEM (SPKI `BEGIN PUBLIC KEY`, or an X.509 certificate). */
export function publicKeyPem(source: Source): string {
  try {
    if (createPublicKey(source.value).type === 'public') return source.value
  } catch {
    // Reported below, without the parser's details (they may quote the key).
  }
  throw new ConfigError(`${source.from} must be a PEM public key`)
}

const UNIT_BYTES = {
  '': 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
}

/** A size in bytes, with an optional `KiB`/`MiB` suffix (`512KiB`, `64MiB`), at least `min`. */
export function bytes(source: Source, min: number): number {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(source.value.trim())
  const unit = match?.[2]?.toLowerCase() ?? ''
  const value =
    match && Object.hasOwn(UNIT_BYTES, unit)
      ? Number(match[1]) * UNIT_BYTES[unit as keyof typeof UNIT_BYTES]
      : Number.NaN
  if (!isIntegerIn(value, min)) throw invalid(source, `a size of at least ${min} bytes (e.g. 1MiB)`)
  return value
}

/** A comma-separated list of IP addresses and CIDRs. */
export function cidrs(source: Source): string[] {
  const entries = list(source)
  const valid = (entry: string): boolean => {
    const [address = '', bits] = entry.split('/')
    const family = isIP(address)
    return (
      family !== 0 &&
      (bits === undefined ||
        isIntegerIn(/^\d+$/.test(bits) ? Number(bits) : Number.NaN, 0, family === 4 ? 32 : 128))
    )
  }
  if (entries.length === 0 || !entries.every(valid)) {
    throw invalid(source, 'a comma-separated list of IP addresses or CIDRs (e.g. 10.0.0.0/8)')
  }
  return entries
}
