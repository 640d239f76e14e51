import { parseArgs } from 'node:util'
import { DEFAULT_ROOM_CAPACITY } from '@duet/core/protocol'
import { DEFAULT_PORT } from './defaults'

/** Environment variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>

/** What the `duet-server` command line asks for. */
export interface CliConfig {
  /** `--help`: print usage and exit. */
  help: boolean
  /**
   * `--port`, `DUET_PORT`, `PORT`.
   * @default 3000
   */
  port: number
  /**
   * `--host`, `DUET_HOST`, `HOST`; undefined binds all interfaces.
   * @default undefined
   */
  host: string | undefined
  /**
   * `--max-peers-per-room`, `DUET_MAX_PEERS_PER_ROOM`.
   * @default 2
   */
  maxPeersPerRoom: number
  /**
   * `--cors-origin`, `DUET_CORS_ORIGIN`: comma-separated origins; undefined allows any.
   * @default undefined
   */
  corsOrigin: string | string[] | undefined
}

/** A command line or environment the CLI cannot run with; its message fits on one line. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** The `--help` text. */
export const USAGE = `Usage: duet-server [options]

Runs the Duet WebRTC signaling server (Socket.io).

Options:
  --port <n>                  Port to listen on, 0 for any free port
                              (env DUET_PORT or PORT; default ${DEFAULT_PORT})
  --host <address>            Interface to bind (env DUET_HOST or HOST; default all interfaces)
  --max-peers-per-room <n>    Room capacity, at least 2
                              (env DUET_MAX_PEERS_PER_ROOM; default ${DEFAULT_ROOM_CAPACITY})
  --cors-origin <origins>     Comma-separated browser origins allowed to connect
                              (env DUET_CORS_ORIGIN; default any origin)
  -h, --help                  Show this help
`

// One row per setting: later flags (--redis, --turn-secret, --log-level...) add a row here.
const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'max-peers-per-room': { type: 'string' },
  'cors-origin': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

type StringFlag = {
  [K in keyof typeof OPTIONS]: (typeof OPTIONS)[K]['type'] extends 'string' ? K : never
}[keyof typeof OPTIONS]

/** A raw setting and where it came from, so errors can name the flag or variable to fix. */
interface Source {
  value: string
  from: string
}

/**
 * Reads the command line (without `node` and the script) and the environment.
 * Precedence: flag, then `DUET_*` variable, then generic variable (`PORT`, `HOST`), then default.
 * Throws {@link ConfigError} on unknown flags or invalid values.
 */
export function parseConfig(argv: readonly string[], env: Env): CliConfig {
  const { values } = parseFlags(argv)
  const pick = (flag: StringFlag, ...variables: string[]): Source | undefined => {
    const value = values[flag]
    if (value !== undefined) return { value, from: `--${flag}` }
    for (const variable of variables) {
      const fromEnv = env[variable]
      // An empty variable is how shells and compose files "unset" things.
      if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, from: variable }
    }
    return undefined
  }

  const help = values.help === true
  const port = pick('port', 'DUET_PORT', 'PORT')
  const host = pick('host', 'DUET_HOST', 'HOST')
  const capacity = pick('max-peers-per-room', 'DUET_MAX_PEERS_PER_ROOM')
  const cors = pick('cors-origin', 'DUET_CORS_ORIGIN')
  return {
    help,
    port: port ? integer(port, 0, 65535) : DEFAULT_PORT,
    host: host ? nonEmpty(host) : undefined,
    maxPeersPerRoom: capacity
      ? integer(capacity, 2, Number.MAX_SAFE_INTEGER)
      : DEFAULT_ROOM_CAPACITY,
    corsOrigin: cors ? origins(cors) : undefined,
  }
}

function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false })
  } catch (error) {
    // Node's parseArgs messages run on over several lines of hints; the first sentence says it.
    const text = error instanceof Error ? error.message : String(error)
    throw new ConfigError(text.split(/\.(?:\s|$)/)[0] || 'invalid arguments')
  }
}

function integer(source: Source, min: number, max: number): number {
  // A digits-only check first: Number('1e3'), Number(' 8 ') and Number('0x10') all parse.
  const value = /^\d+$/.test(source.value) ? Number(source.value) : Number.NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`
    throw new ConfigError(
      `${source.from} must be an integer ${range}, got ${JSON.stringify(source.value)}`,
    )
  }
  return value
}

function nonEmpty(source: Source): string {
  const value = source.value.trim()
  if (value === '') throw new ConfigError(`${source.from} must not be empty`)
  return value
}

function origins(source: Source): string | string[] {
  const list = source.value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '')
  if (list.length === 0) throw new ConfigError(`${source.from} must list at least one origin`)
  return list.length === 1 ? list[0]! : list
}
