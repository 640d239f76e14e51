import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Child, spawnChild, waitUntil } from './childProcess'

const serverDir = fileURLToPath(new URL('../..', import.meta.url))
const coreDir = join(serverDir, '../core')

/** The built CLI, as `npx duet-server` runs it. */
export const CLI = join(serverDir, 'dist/cli.js')

function newest(dir: string): number {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }
  return latest
}

const stale = (output: string, ...sources: string[]) =>
  !existsSync(output) || sources.some((source) => newest(source) > statSync(output).mtimeMs)

function build(dir: string): void {
  execFileSync(join(dir, 'node_modules/.bin/tsdown'), [], {
    cwd: dir,
    stdio: 'pipe',
    timeout: 60_000,
  })
}

const LOCK = join(tmpdir(), 'duet-server-test-build.lock')
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// Test files run in parallel workers, and a build empties dist/ first: one builder at a time,
// the others wait and then find it fresh. mkdir is atomic; a lock older than a build is stale.
async function withBuildLock(task: () => void): Promise<void> {
  const deadline = Date.now() + 90_000
  for (;;) {
    try {
      mkdirSync(LOCK)
      break
    } catch {
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 120_000)
        rmSync(LOCK, { recursive: true, force: true })
      if (Date.now() > deadline) throw new Error(`${LOCK} held for too long`)
      await sleep(100)
    }
  }
  try {
    task()
  } finally {
    rmSync(LOCK, { recursive: true, force: true })
  }
}

/**
 * Makes sure `dist/cli.js` is built from the current sources (and core's protocol, which it
 * imports at run time from core's dist). `npm test` builds before testing, so this only builds
 * when a developer runs vitest on edited sources. Every test that runs the built CLI calls it.
 */
export async function ensureBuilt(): Promise<void> {
  const coreProtocol = join(coreDir, 'dist/protocol.js')
  try {
    await withBuildLock(() => {
      if (stale(coreProtocol, join(coreDir, 'src/protocol'))) build(coreDir)
      if (stale(CLI, join(serverDir, 'src'))) build(serverDir)
    })
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new Error(`could not build duet-server (run \`pnpm build\`): ${detail}`)
  }
}

/** A `duet-server` process. */
export interface CliNode {
  port: number
  url: string
  child: Child
}

/**
 * Spawns the built CLI on a free loopback port and waits for its listening line; `env` adds
 * `DUET_*` variables (a server that does not know one ignores it, where a flag would stop it).
 */
export async function startCliNode(
  args: string[],
  env: Record<string, string> = {},
): Promise<CliNode> {
  const child = spawnChild(
    process.execPath,
    [CLI, '--port', '0', '--host', '127.0.0.1', ...args],
    '',
    { ...process.env, ...env },
  )
  let port = 0
  try {
    await waitUntil(
      () => {
        if (child.process.exitCode !== null)
          throw new Error(`duet-server exited: ${child.output()}`)
        const match = /duet-server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(child.output())
        port = match ? Number(match[1]) : 0
        return port > 0
      },
      10_000,
      'duet-server',
    )
  } catch (error) {
    await child.kill()
    throw error
  }
  return { port, url: `http://127.0.0.1:${port}`, child }
}
