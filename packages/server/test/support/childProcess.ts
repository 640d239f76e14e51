import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'

/** A spawned server process, with its output kept for failure messages. */
export interface Child {
  process: ChildProcess
  /** Everything it printed so far (stdout and stderr). */
  output(): string
  /** Resolves once it exited. */
  exited: Promise<number | null>
  /** SIGTERM, then SIGKILL if it is still there after `graceMs`. */
  stop(graceMs?: number): Promise<void>
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>
}

/** Spawns `bin` with `args` (and `env`); fails clearly when the binary is not installed. */
export function spawnChild(
  bin: string,
  args: string[],
  install: string,
  env: NodeJS.ProcessEnv = process.env,
): Child {
  if (bin.startsWith('/') && !existsSync(bin)) {
    throw new Error(`${bin} is not installed: ${install} (npm test installs it)`)
  }
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )
  const gone = () => child.exitCode !== null || child.signalCode !== null
  return {
    process: child,
    output: () => output,
    exited,
    async stop(graceMs = 2000) {
      if (gone()) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    },
    async kill() {
      if (gone()) return
      child.kill('SIGKILL')
      await exited
    },
  }
}

/** Polls `ready` every 20 ms until it resolves true; throws after `timeoutMs`. */
export async function waitUntil(
  ready: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await ready()) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`${what} not ready within ${timeoutMs} ms`)
}
