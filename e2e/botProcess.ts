import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const botDir = fileURLToPath(new URL('../examples/node-bot/', import.meta.url))

/** The example bot (`examples/node-bot`) running as its own Node process, as a user starts it. */
export interface BotProcess {
  /** Every line it printed so far, stdout and stderr. */
  readonly lines: readonly string[]
  /** Resolves with the first line matching `pattern`, printed before or after the call. */
  waitForLine(pattern: RegExp, timeout?: number): Promise<string>
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>
  /** Sends a signal, as Ctrl-C (SIGINT) or a service manager (SIGTERM) would. */
  signal(signal: NodeJS.Signals): void
}

/** Starts the bot the way its README does (`pnpm start -- ROOM_URL`), minus pnpm. */
export function startBotProcess(args: string[]): BotProcess {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@duet/source', 'src/main.ts', ...args],
    { cwd: botDir, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const lines: string[] = []
  const waiters = new Set<() => void>()
  const collect = (stream: NodeJS.ReadableStream | null) => {
    let rest = ''
    stream?.setEncoding('utf8')
    stream?.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n')
      rest = parts.pop() ?? ''
      for (const line of parts) {
        lines.push(line)
        // biome-ignore lint/suspicious/noUndeclaredEnvVars: e2e runs through vitest, never through turbo
        if (process.env.E2E_DEBUG) console.log(`[bot] ${line}`)
      }
      for (const wake of waiters) wake()
    })
  }
  collect(child.stdout)
  collect(child.stderr)
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  void exited.then(() => {
    for (const wake of waiters) wake()
  })
  let running = true
  void exited.then(() => {
    running = false
  })

  return {
    lines,
    exited,
    signal: (signal) => {
      if (running) child.kill(signal)
    },
    waitForLine(pattern, timeout = 40_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = lines.find((candidate) => pattern.test(candidate))
          if (line !== undefined) return done(() => resolve(line))
          if (!running)
            done(() =>
              reject(new Error(`the bot exited before printing ${pattern}:\n${lines.join('\n')}`)),
            )
        }
        const timer = setTimeout(
          () =>
            done(() =>
              reject(
                new Error(`no ${pattern} from the bot in ${timeout} ms:\n${lines.join('\n')}`),
              ),
            ),
          timeout,
        )
        const done = (settle: () => void) => {
          clearTimeout(timer)
          waiters.delete(check)
          settle()
        }
        waiters.add(check)
        check()
      })
    },
  }
}
