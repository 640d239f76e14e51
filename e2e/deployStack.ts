// The deployment recipe of docs/guide/deploy.md, started for real on loopback from the files in
// deploy/: nginx (TLS, WebSocket upgrade) in front of two duet-server nodes run as their systemd
// unit says, one Redis, and coturn. Only the values an operator fills in (ports, paths) differ.
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Child, spawnChild, waitUntil } from '../packages/server/test/support/childProcess'
import { CLI, ensureBuilt } from '../packages/server/test/support/cliNode'
import { accepts, loopbackTurnArgs } from '../packages/server/test/support/coturn'
import { freePort } from '../packages/server/test/support/freePort'
import { type RedisProcess, startRedis } from '../packages/server/test/support/redisServer'

const DEPLOY = fileURLToPath(new URL('../deploy/', import.meta.url))
const APP = fileURLToPath(new URL('../apps/demo/dist', import.meta.url))
const NGINX = '/usr/sbin/nginx'
const TURNSERVER = '/usr/bin/turnserver'

/** `text` with each `${NAME}` replaced, as `envsubst` does; a placeholder left over is an error. */
export function render(text: string, values: Record<string, string>): string {
  const rendered = text.replace(/\$\{(DUET_[A-Z_\d]+)\}/g, (placeholder, name: string) => {
    const value = values[name]
    if (value === undefined) throw new Error(`no value for ${placeholder}`)
    return value
  })
  return rendered
}

/** `KEY=value` lines of an EnvironmentFile, comments and blanks skipped. */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const match = /^([A-Z_][A-Z_\d]*)=(.*)$/.exec(line.trim())
    if (match) env[match[1]!] = match[2]!
  }
  return env
}

/** The directives of a systemd unit's [Service] section, each with every value it was given. */
export function serviceDirectives(unit: string): Map<string, string[]> {
  const directives = new Map<string, string[]>()
  let inService = false
  for (const raw of unit.split('\n')) {
    const line = raw.trim()
    if (line.startsWith('[')) inService = line === '[Service]'
    const match = inService ? /^([A-Za-z]+)=(.*)$/.exec(line) : null
    if (match) directives.set(match[1]!, [...(directives.get(match[1]!) ?? []), match[2]!])
  }
  return directives
}

/** One duet-server node. */
export interface DeployNode {
  port: number
  metricsPort: number
  child: Child
  /** Its Prometheus text. */
  metrics(): Promise<string>
}

/** The running stack. */
export interface DeployStack {
  /** https://127.0.0.1:<port>, served by nginx. */
  url: string
  nodes: DeployNode[]
  turn: { url: string; secret: string }
  close(): Promise<void>
}

/** GETs a URL through nginx, trusting its self-signed certificate; resolves with the status. */
function httpsStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false }, (response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    req.once('error', reject)
    req.end()
  })
}

async function startNode(
  unit: Map<string, string[]>,
  env: Record<string, string>,
  credentials: string,
): Promise<DeployNode> {
  const [port, metricsPort] = [await freePort(), await freePort()]
  // ExecStart runs the installed CLI with node; here it is this checkout's build.
  const [exec = ''] = unit.get('ExecStart') ?? []
  if (!/^\/usr\/bin\/node \S+\/@duet\/server\/dist\/cli\.js$/.test(exec))
    throw new Error(`unexpected ExecStart: ${exec}`)
  const fromUnit = parseEnvFile(
    (unit.get('Environment') ?? []).map((line) => line.replaceAll('%d', credentials)).join('\n'),
  )
  const child = spawnChild(process.execPath, [CLI], '', {
    ...process.env,
    ...env,
    // node-%i.env, written by the operator per node.
    DUET_PORT: String(port),
    DUET_METRICS_PORT: String(metricsPort),
    ...fromUnit,
  })
  await waitUntil(
    () => {
      if (child.process.exitCode !== null) throw new Error(`duet-server exited: ${child.output()}`)
      return /duet-server listening on/.test(child.output())
    },
    10_000,
    'duet-server',
  )
  return {
    port,
    metricsPort,
    child,
    metrics: async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(),
  }
}

async function startNginx(dir: string, values: Record<string, string>): Promise<Child> {
  const site = render(readFileSync(join(DEPLOY, 'nginx-duet.conf'), 'utf8'), values)
  writeFileSync(join(dir, 'duet.conf'), site)
  // What /etc/nginx/nginx.conf holds on Debian, reduced to a prefix of its own: no root paths,
  // in the foreground, one worker (so the upstream's round robin is one sequence).
  const temp = (name: string) => `${name}_temp_path ${join(dir, 'temp', name)};`
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'error.log')} warn;`,
      'events { worker_connections 256; }',
      'http {',
      '  include /etc/nginx/mime.types;',
      '  default_type application/octet-stream;',
      `  access_log ${join(dir, 'access.log')};`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `  ${temp(name)}`),
      `  include ${join(dir, 'duet.conf')};`,
      '}',
    ].join('\n'),
  )
  mkdirSync(join(dir, 'temp'))
  const child = spawnChild(
    NGINX,
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
    'apt-get install -y nginx',
  )
  await waitUntil(
    async () => {
      if (child.process.exitCode !== null) {
        const log = readFileSync(join(dir, 'error.log'), 'utf8')
        throw new Error(`nginx exited: ${child.output()} ${log}`)
      }
      return httpsStatus(`https://${values.DUET_LISTEN}/`).then(
        (status) => status === 200,
        () => false,
      )
    },
    10_000,
    'nginx',
  )
  return child
}

async function startTurn(dir: string, secret: string): Promise<{ child: Child; url: string }> {
  const conf = render(readFileSync(join(DEPLOY, 'turnserver.conf'), 'utf8'), {
    DUET_TURN_IP: '127.0.0.1',
    DUET_TURN_REALM: 'duet.test',
    DUET_TURN_SECRET: secret,
  })
  writeFileSync(join(dir, 'turnserver.conf'), conf)
  const port = await freePort()
  // The file as shipped, plus what only a loopback test needs (production refuses loopback peers).
  const child = spawnChild(
    TURNSERVER,
    ['-c', join(dir, 'turnserver.conf'), ...loopbackTurnArgs(dir, port)],
    'apt-get install -y coturn',
  )
  await waitUntil(
    () => {
      if (child.process.exitCode !== null) throw new Error(`turnserver exited: ${child.output()}`)
      return accepts(port)
    },
    10_000,
    'turnserver',
  )
  return { child, url: `turn:127.0.0.1:${port}?transport=udp` }
}

/** Starts Redis, two nodes, nginx in front of them with a fresh self-signed certificate, and coturn. */
export async function startDeployStack(): Promise<DeployStack> {
  await ensureBuilt()
  const dir = mkdtempSync(join(tmpdir(), 'duet-deploy-'))
  // nginx's workers run as nobody: they read the app and write their temp files in here.
  chmodSync(dir, 0o755)
  const stops: (() => Promise<unknown>)[] = []
  const close = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => {})
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
        ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
        ...['-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt')],
      ],
      { stdio: 'pipe' },
    )
    const redis: RedisProcess = await startRedis()
    stops.push(() => redis.stop())
    const listen = await freePort()
    const url = `https://127.0.0.1:${listen}`
    const credentials = join(dir, 'credentials')
    mkdirSync(credentials)
    writeFileSync(join(credentials, 'resume-secret'), 'a-resume-secret-of-at-least-32-bytes!!')
    const unit = serviceDirectives(readFileSync(join(DEPLOY, 'duet-server@.service'), 'utf8'))
    const shared = parseEnvFile(readFileSync(join(DEPLOY, 'duet-server.env'), 'utf8'))
    const env = {
      ...shared,
      DUET_REDIS: redis.url,
      DUET_CORS_ORIGIN: url,
      // One connection per address per node: the test sees whose address a node counts.
      DUET_MAX_CONNECTIONS_PER_IP: '1',
    }
    const nodes: DeployNode[] = []
    for (let index = 0; index < 2; index++) {
      const node = await startNode(unit, env, credentials)
      stops.push(() => node.child.stop())
      nodes.push(node)
    }
    const nginx = await startNginx(dir, {
      DUET_SERVER_NAME: '127.0.0.1',
      DUET_LISTEN: `127.0.0.1:${listen}`,
      DUET_TLS_CERT: join(dir, 'tls.crt'),
      DUET_TLS_KEY: join(dir, 'tls.key'),
      DUET_APP_ROOT: APP,
      DUET_NODE_1: `127.0.0.1:${nodes[0]!.port}`,
      DUET_NODE_2: `127.0.0.1:${nodes[1]!.port}`,
    })
    stops.push(() => nginx.stop())
    const secret = 'a-turn-secret-shared-with-coturn'
    const turn = await startTurn(dir, secret)
    stops.push(() => turn.child.stop())
    return { url, nodes, turn: { url: turn.url, secret }, close }
  } catch (error) {
    await close()
    throw error
  }
}
