import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { basename, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CreateDuetError } from './errors'
import { assertTemplateName, layersOf, type TemplateName } from './templates'

/** What {@link createApp} writes, and where. */
export interface CreateAppOptions {
  /** Folder to write the app into; created when missing, refused when not empty. */
  targetDir: string
  /** One of `vue`, `svelte`, `nuxt`, `sveltekit`. */
  template: string
  /**
   * Version of `@duet/*` the app's package.json pins.
   * @default this package's own version (create-duet is released together with `@duet/*`)
   */
  duetVersion?: string
}

/** The app {@link createApp} wrote. */
export interface CreatedApp {
  /** Absolute path of the app. */
  dir: string
  /** The template it was made from. */
  template: TemplateName
  /** The `name` written into its package.json. */
  packageName: string
  /** Paths of the files written, relative to `dir`, `/`-separated. */
  files: string[]
}

const templatesRoot = fileURLToPath(new URL('../templates/', import.meta.url))

// npm drops `.gitignore` from published tarballs, so the templates ship it as `_gitignore`.
const RENAMED: Readonly<Record<string, string>> = { _gitignore: '.gitignore' }

/** The version of `@duet/*` released with this create-duet (they share one version). */
export function ownVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  return String(manifest.version)
}

/** A valid npm package name made from a folder name: `My App!` → `my-app`. */
export function toPackageName(folder: string): string {
  const name = folder
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '')
  return name || 'duet-app'
}

/** Whether `dir` is missing or an empty folder, the only targets create-duet writes into. */
export function isEmptyTarget(dir: string): boolean {
  if (!existsSync(dir)) return true
  return statSync(dir).isDirectory() && readdirSync(dir).length === 0
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? filesUnder(path) : [path]
  })
}

/**
 * Writes a working Duet app from a template: a room page and the signaling server started
 * with the dev server and the production server.
 * @example createApp({ targetDir: 'my-call', template: 'sveltekit' })
 */
export function createApp(options: CreateAppOptions): CreatedApp {
  const { template } = options
  assertTemplateName(template)
  const dir = resolve(options.targetDir)
  if (!isEmptyTarget(dir)) {
    throw new CreateDuetError(
      'TARGET_NOT_EMPTY',
      `${dir} already exists and is not an empty folder. Choose another folder name, or empty it first.`,
    )
  }
  const packageName = toPackageName(basename(dir))
  const tokens: Record<string, string> = {
    '{{duetVersion}}': options.duetVersion ?? ownVersion(),
    '{{packageName}}': packageName,
  }
  const written = new Map<string, string>()
  for (const layer of layersOf(template)) {
    const from = join(templatesRoot, layer.from)
    for (const source of filesUnder(from)) {
      const parts = [...(layer.to ? layer.to.split('/') : []), ...relative(from, source).split(sep)]
      const name = parts.pop() ?? ''
      const path = [...parts, RENAMED[name] ?? name].join('/')
      let text = readFileSync(source, 'utf8')
      for (const [token, value] of Object.entries(tokens)) text = text.replaceAll(token, value)
      written.set(path, text)
    }
  }
  for (const [path, text] of written) {
    const file = join(dir, ...path.split('/'))
    mkdirSync(join(file, '..'), { recursive: true })
    writeFileSync(file, text)
  }
  return { dir, template, packageName, files: [...written.keys()].sort() }
}
