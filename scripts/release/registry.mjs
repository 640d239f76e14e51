// A throwaway Verdaccio on a loopback port for the release rehearsal. `@duet/*` and
// `create-duet` have no uplink, so they can only come from what the rehearsal publishes (and
// their publish never waits on npm); everything else
// is proxied to the npm registry this machine uses.
import { spawn, spawnSync } from 'node:child_process'
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { root } from '../lib/bootstrap.mjs'

/** A free TCP port on 127.0.0.1 (closed again before it is returned). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** The registry npm uses here (asked from a neutral directory, so no project .npmrc applies). */
function upstreamRegistry() {
  const r = spawnSync('npm', ['config', 'get', 'registry'], { cwd: tmpdir(), encoding: 'utf8' })
  const url = r.status === 0 ? r.stdout.trim() : ''
  return /^https?:\/\//.test(url) ? url : 'https://registry.npmjs.org/'
}

// npm may trust a CA of its own (`cafile`, e.g. a TLS-inspecting proxy's); Verdaccio, a plain
// Node process, reaches the same registry only if Node trusts it too. A CA already given to
// Node (NODE_EXTRA_CA_CERTS in the environment) wins: the environment is spread after this.
function upstreamCaEnv() {
  const r = spawnSync('npm', ['config', 'get', 'cafile'], { cwd: tmpdir(), encoding: 'utf8' })
  const file = r.status === 0 ? r.stdout.trim() : ''
  return file && file !== 'null' && existsSync(file) ? { NODE_EXTRA_CA_CERTS: file } : {}
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Starts Verdaccio with its storage, config and log in `dir`, waits until it answers and
 * creates a user. Resolves to { url, token, logFile, stop() }.
 */
export async function startRegistry(dir, { timeoutMs = 30_000 } = {}) {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}/`
  const config = join(dir, 'config.yaml')
  writeFileSync(
    config,
    `storage: ${JSON.stringify(join(dir, 'storage'))}
auth:
  htpasswd:
    file: ${JSON.stringify(join(dir, 'htpasswd'))}
    max_users: 1
uplinks:
  npmjs:
    url: ${JSON.stringify(upstreamRegistry())}
    timeout: 60s
    max_fails: 20
    fail_timeout: 10s
packages:
  '@duet/*':
    access: $all
    publish: $authenticated
  # Ours too, and never looked up on npm: with a proxy, Verdaccio refuses the publish whenever
  # npm does not answer ("one of the uplinks is down"), failing the rehearsal for nothing.
  'create-duet':
    access: $all
    publish: $authenticated
  '**':
    access: $all
    publish: $authenticated
    proxy: npmjs
web:
  enable: false
log: { type: stdout, format: pretty, level: warn }
`,
  )
  const logFile = join(dir, 'verdaccio.log')
  const log = createWriteStream(logFile)
  const bin = join(root, 'node_modules', '.bin', 'verdaccio')
  const child = spawn(bin, ['--config', config, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...upstreamCaEnv(), ...process.env },
  })
  child.stdout.pipe(log)
  child.stderr.pipe(log)
  let exited = null
  child.on('exit', (code, signal) => {
    exited = signal ?? code
  })

  const stop = async () => {
    if (exited !== null) return
    const gone = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await gone
    clearTimeout(timer)
  }

  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (exited !== null) {
      throw new Error(`verdaccio exited (${exited}):\n${readFileSync(logFile, 'utf8')}`)
    }
    try {
      const res = await fetch(`${url}-/ping`)
      if (res.ok) break
    } catch {}
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`verdaccio did not answer on ${url} within ${timeoutMs} ms`)
    }
    await sleep(200)
  }

  const res = await fetch(`${url}-/user/org.couchdb.user:duet`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'duet', password: 'rehearsal' }),
  })
  const { token } = await res.json()
  if (!token) {
    await stop()
    throw new Error(`verdaccio created no user (${res.status})`)
  }
  return { url, token, logFile, stop }
}
