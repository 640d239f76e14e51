// Shared by scripts/demo.mjs and scripts/test.mjs. These scripts run before any
// `pnpm install`, so they may use Node built-ins only.
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { constants } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * turbo, called by its path rather than through `pnpm turbo`: `pnpm exec` puts the relative
 * `./node_modules/.bin` first on PATH, where turbo then finds the pinned pnpm (a root
 * devDependency) and spawns it by that relative path from each package's folder, which fails.
 */
export function turboIn(repo = root) {
  return join(repo, 'node_modules', '.bin', 'turbo')
}

// Keep every tool quiet and offline-capable: a second `npm run demo` must start with
// no network, so nothing may phone home (telemetry, update notifiers) or switch to
// another pnpm version that would have to be downloaded.
Object.assign(process.env, {
  TURBO_TELEMETRY_DISABLED: '1',
  TURBO_NO_UPDATE_NOTIFIER: '1',
  DO_NOT_TRACK: '1',
  COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
  npm_config_update_notifier: 'false',
  npm_config_manage_package_manager_versions: 'false',
})

export function banner(text) {
  console.log(`\n━━━ ${text} ━━━`)
}

export function fail(message, code = 1) {
  console.error(`\n✗ ${message}`)
  process.exit(code)
}

/**
 * Runs a command with inherited stdio and resolves to its exit code (128+n when it
 * died from signal n, like a shell). Signals sent to us are passed on, so a process
 * manager stopping `npm run demo` stops the server too. SIGINT from a terminal already
 * reaches the whole foreground process group, so it is not sent a second time there.
 */
export function run(cmd, args = [], opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', ...opts })
    const forward = (signal) => {
      if (signal === 'SIGINT' && process.stdin.isTTY) return
      child.kill(signal)
    }
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP']
    for (const s of signals) process.on(s, forward)
    const done = (code) => {
      for (const s of signals) process.off(s, forward)
      resolve(code)
    }
    child.on('error', (err) => {
      console.error(`cannot start ${cmd}: ${err.message}`)
      done(127)
    })
    child.on('exit', (code, signal) => done(signal ? 128 + constants.signals[signal] : code))
  })
}

/** Like `run`, but exits this process with the command's code when it fails. */
export async function must(cmd, args, opts) {
  const code = await run(cmd, args, opts)
  if (code !== 0) fail(`${[cmd, ...args].join(' ')} exited with ${code}`, code)
}

function version(cmd) {
  // A timeout because a corepack shim on PATH may try to download pnpm.
  const r = spawnSync(cmd, ['--version'], { encoding: 'utf8', timeout: 30_000 })
  return r.status === 0 ? r.stdout.trim() : null
}

/**
 * Returns the pnpm command to use. A fresh machine has only node and npm, so when no
 * pnpm of the pinned major is on PATH, the pinned version is installed into .tools/
 * (gitignored, no root needed). Its bin dir goes on PATH because turbo and package
 * scripts call `pnpm` by name.
 */
export async function ensurePnpm() {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const wanted = manifest.packageManager.replace(/^pnpm@/, '').split('+')[0]
  const major = wanted.split('.')[0]
  // The same pnpm is a devDependency, so `npm run <script>` finds it in node_modules/.bin
  // (scripts and turbo call `pnpm` by name) on a machine with no pnpm of its own.
  if (manifest.devDependencies?.pnpm !== wanted) {
    fail(`package.json: devDependencies.pnpm must be ${wanted}, the packageManager version`)
  }
  // A pnpm of the machine's own, by its full path. Not the devDependency's, which a second
  // `npm test` finds through npm's PATH: the release rehearsal drops the repository's folders
  // from PATH, and turbo and changesets there call `pnpm` by name, so .tools/ it is.
  const found = which('pnpm')
  const own = found ? resolve(found) : null
  if (own && !own.startsWith(join(root, 'node_modules')) && version(own)?.split('.')[0] === major) {
    return own
  }

  const bin = join(root, '.tools', 'node_modules', '.bin')
  const local = join(bin, 'pnpm')
  if (version(local) !== wanted) {
    banner(`installing pnpm@${wanted} into .tools/`)
    const args = ['install', '--prefix', '.tools', '--no-save', '--no-audit', '--no-fund']
    await must('npm', [...args, `pnpm@${wanted}`])
  }
  process.env.PATH = `${bin}${delimiter}${process.env.PATH}`
  return local
}

// Everything a frozen install depends on. The lockfile alone misses a package.json
// edited without relocking, which `--frozen-lockfile` would have reported.
function installInputsHash() {
  const hash = createHash('sha256')
  const add = (file) => {
    hash.update(`${file}\0`)
    if (existsSync(join(root, file))) hash.update(readFileSync(join(root, file)))
  }
  for (const file of ['pnpm-lock.yaml', 'pnpm-workspace.yaml', '.npmrc', 'package.json']) add(file)
  const workspace = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')
  // Only `dir/*` globs are used in pnpm-workspace.yaml; that is all this handles.
  for (const [, dir] of workspace.matchAll(/^\s*-\s*['"]?([\w./-]+)\/\*['"]?\s*$/gm)) {
    if (!existsSync(join(root, dir))) continue
    for (const name of readdirSync(join(root, dir)).sort()) add(`${dir}/${name}/package.json`)
  }
  return hash.digest('hex')
}

/**
 * Runs `pnpm install --frozen-lockfile` unless node_modules already matches the
 * lockfile: pnpm's own copy of the lockfile it installed, plus our stamp of the
 * install inputs. Skipping keeps a second run free of any registry access.
 */
export async function ensureInstalled(pnpm) {
  const stamp = join(root, 'node_modules', '.duet-install-stamp')
  const installed = join(root, 'node_modules', '.pnpm', 'lock.yaml')
  const hash = installInputsHash()
  const inSync =
    existsSync(installed) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === hash &&
    readFileSync(installed).equals(readFileSync(join(root, 'pnpm-lock.yaml')))
  if (inSync) return
  banner('pnpm install --frozen-lockfile')
  await must(pnpm, ['install', '--frozen-lockfile'])
  writeFileSync(stamp, hash)
}

export function which(bin) {
  if (bin.includes('/')) return existsSync(bin) ? bin : null
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin']
  const hit = dirs.find((d) => d && existsSync(join(d, bin)))
  return hit ? join(hit, bin) : null
}

export const isRoot = process.getuid?.() === 0

/**
 * Installs the Debian packages whose binary is missing, e.g. [{ bin, pkg }]. Only as
 * root with apt-get; otherwise it warns, and the tests that need them will say so.
 */
export async function ensureSystemPackages(list) {
  const missing = list.filter(({ bin }) => !which(bin))
  if (missing.length === 0) return
  const pkgs = missing.map(({ pkg }) => pkg)
  if (!isRoot || !which('apt-get')) {
    console.warn(`! missing ${pkgs.join(', ')}; install them (apt-get install ${pkgs.join(' ')})`)
    return
  }
  banner(`apt-get install ${pkgs.join(' ')}`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  // Wait for a concurrent apt/dpkg (e.g. unattended upgrades) instead of failing.
  const lock = ['-o', 'DPkg::Lock::Timeout=300']
  await must('apt-get', [...lock, 'update'], { env })
  await must('apt-get', [...lock, 'install', '-y', ...pkgs], { env })
}
