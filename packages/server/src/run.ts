import {
  type CliConfig,
  ConfigError,
  type Env,
  parseConfig,
  toServerOptions,
  USAGE,
} from './config/cliConfig'
import { createSignalingServer } from './createSignalingServer'
import type { TextSink } from './ops/logger'
import { prettySink } from './ops/prettySink'
import type { ServerAddress } from './serverTypes'

/** Signals that stop the server cleanly. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const

/** A stop signal name. */
export type StopSignal = (typeof STOP_SIGNALS)[number]

/** Where the signals come from, such as `process`. */
export interface SignalSource {
  /** Subscribes once to a signal. */
  once(signal: StopSignal, listener: () => void): unknown
  /** Unsubscribes. */
  off(signal: StopSignal, listener: () => void): unknown
}

/** Everything the CLI touches in its process, injectable so tests run it in-process. */
export interface CliProcess {
  /** Arguments after `node` and the script. */
  argv: readonly string[]
  /** Environment variables. */
  env: Env
  /** Receives the listening line and `--help`. */
  stdout: TextSink
  /** Receives configuration errors and the JSON log lines. */
  stderr: TextSink
  /** Delivers SIGINT/SIGTERM. */
  signals: SignalSource
}

/** Exit code for a command line or environment the CLI cannot run with. */
export const EXIT_USAGE = 2

/** Exit code when the server cannot start, e.g. its port is taken. */
export const EXIT_FAILURE = 1

const processCli = (): CliProcess => ({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  signals: process,
})

/** `http://host:port`, bracketing IPv6 addresses as URLs require. */
export function formatUrl({ host, port }: ServerAddress): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}

/** Resolves at the first stop signal; its handlers go away then, so a second Ctrl-C kills a hung close. */
function onStopSignal(signals: SignalSource): { signalled: Promise<void>; cancel(): void } {
  let cancel = (): void => {}
  const signalled = new Promise<void>((resolve) => {
    const stop = (): void => {
      cancel()
      resolve()
    }
    cancel = () => {
      for (const signal of STOP_SIGNALS) signals.off(signal, stop)
    }
    for (const signal of STOP_SIGNALS) signals.once(signal, stop)
  })
  return { signalled, cancel }
}

function describeStartError(error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error)
  // Listen errors carry a system code (EADDRINUSE, EACCES); anything else is Redis.
  const isListenError = error instanceof Error && 'code' in error && typeof error.code === 'string'
  return isListenError ? `cannot listen: ${reason}` : `cannot start: ${reason}`
}

function authKind(config: CliConfig): string {
  if (config.jwtSecret !== undefined) return 'jwt-secret'
  if (config.jwtPublicKey !== undefined) return 'jwt-public-key'
  if (config.jwksUrl !== undefined) return 'jwks-url'
  return config.allowAnonymous ? 'anonymous' : 'none'
}

/**
 * Runs `duet-server`: parses the configuration, listens, and on SIGINT/SIGTERM drains (tells
 * clients to reconnect elsewhere, waits up to the drain timeout) and closes.
 * Resolves to the exit code once the process should exit.
 */
export async function main(cli: CliProcess = processCli()): Promise<number> {
  let config: CliConfig
  try {
    config = parseConfig(cli.argv, cli.env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    cli.stderr.write(`duet-server: ${error.message} (see --help)\n`)
    return EXIT_USAGE
  }
  if (config.help) {
    cli.stdout.write(USAGE)
    return 0
  }

  // JSON lines for shippers and files; readable lines for a person at a terminal.
  const logSink = cli.stderr.isTTY ? await prettySink(cli.stderr, cli.env) : cli.stderr
  const options = toServerOptions(config, logSink)
  // Handlers go in before listening: whoever waits for the listening line may signal at once.
  const stop = onStopSignal(cli.signals)
  const server = createSignalingServer({
    port: config.port,
    ...(config.host !== undefined ? { host: config.host } : {}),
    ...options,
  })
  try {
    await server.ready
  } catch (error) {
    stop.cancel()
    cli.stderr.write(`duet-server: ${describeStartError(error)}\n`)
    await server.close()
    return EXIT_FAILURE
  }
  const address = server.address()
  cli.stdout.write(`duet-server listening on ${address ? formatUrl(address) : 'unknown address'}\n`)
  const metricsAddress = server.metricsAddress()
  if (metricsAddress)
    cli.stdout.write(`duet-server metrics on ${formatUrl(metricsAddress)}/metrics\n`)
  // What this node runs with, for the operator reading its log; the logger redacts the
  // credentials a Redis or JWKS URL may carry.
  options.logger?.info('started', {
    url: address ? formatUrl(address) : null,
    metrics: metricsAddress ? `${formatUrl(metricsAddress)}/metrics` : null,
    redis: config.redis ?? null,
    auth: authKind(config),
    jwksUrl: config.jwksUrl ?? null,
    turnUrls: config.turnUrls ?? null,
    transports: config.transports,
    trustProxy: config.trustProxy,
    maxPeersPerRoom: config.maxPeersPerRoom,
  })

  await stop.signalled
  await server.drain()
  return 0
}
