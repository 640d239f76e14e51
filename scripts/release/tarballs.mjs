// Downloads what the rehearsal published and checks each tarball: no tests, no source map
// pointing at a file the tarball lacks, no `workspace:` specifier.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, normalize, relative, sep } from 'node:path'

const TEST_FILE = [
  /(^|\/)(test|tests|__tests__|__mocks__|e2e|fixtures)\//,
  /\.(test|spec|bench)\.[cm]?[jt]sx?$/,
  /\.(test|spec)\.d\.[cm]?ts$/,
  /(^|\/)vitest\.[\w.]*config\.[cm]?[jt]s$/,
]
const DEP_FIELDS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
  'bundleDependencies',
]

export function listFiles(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? listFiles(path, base) : [relative(base, path).split(sep).join('/')]
  })
}

function workspaceSpecifiers(manifest) {
  return DEP_FIELDS.flatMap((field) =>
    Object.entries(manifest[field] ?? {})
      .filter(([, spec]) => typeof spec === 'string' && spec.startsWith('workspace:'))
      .map(([name, spec]) => `${field}.${name}: ${spec}`),
  )
}

/** Problems with one unpacked package (its files under `dir`, paths relative to it). */
export function inspect(dir, files, published) {
  const problems = []
  const has = new Set(files)
  for (const file of files) {
    if (TEST_FILE.some((re) => re.test(file))) problems.push(`test file ${file}`)
    if (
      file.endsWith('package.json') &&
      readFileSync(join(dir, file), 'utf8').includes('workspace:')
    )
      problems.push(`"workspace:" in ${file}`)
    if (file.endsWith('.map')) {
      let map
      try {
        map = JSON.parse(readFileSync(join(dir, file), 'utf8'))
      } catch {
        problems.push(`unreadable source map ${file}`)
        continue
      }
      for (const source of map.sources ?? []) {
        const target = normalize(join(dirname(file), map.sourceRoot ?? '', source))
        if (!has.has(target.split(sep).join('/')))
          problems.push(`${file} points at ${source}, not in the tarball`)
      }
    }
    if (/\.[cm]?js$/.test(file)) {
      const text = readFileSync(join(dir, file), 'utf8')
      for (const [, ref] of text.matchAll(/[#@] sourceMappingURL=(\S+)\s*$/gm)) {
        if (ref.startsWith('data:')) continue
        const target = normalize(join(dirname(file), ref))
          .split(sep)
          .join('/')
        if (!has.has(target)) problems.push(`${file} names source map ${ref}, not in the tarball`)
      }
    }
  }
  for (const needed of ['package.json', 'README.md', 'LICENSE']) {
    if (!has.has(needed)) problems.push(`no ${needed}`)
  }
  // The manifest the registry serves (what installers read), not only the one in the tarball.
  for (const found of workspaceSpecifiers(published)) problems.push(`registry manifest ${found}`)
  return problems
}

/**
 * Fetches `name@version` for each name from the registry at `url`, unpacks it into
 * `dir/<name>` and inspects it. Resolves to rows { name, version, packed, unpacked, files,
 * problems } (sizes in bytes).
 */
export async function checkPublished(url, names, version, dir) {
  const rows = []
  for (const name of names) {
    const res = await fetch(`${url}${name.replace('/', '%2f')}`)
    if (!res.ok) throw new Error(`${name} is not on the local registry (${res.status})`)
    const packument = await res.json()
    const published = packument.versions?.[version]
    if (!published) throw new Error(`${name}@${version} is not on the local registry`)
    if (!published.dist.tarball.startsWith(url))
      throw new Error(`${name} tarball is not served by the local registry`)
    const tgz = Buffer.from(await (await fetch(published.dist.tarball)).arrayBuffer())
    const target = join(dir, name.replace('/', '__'))
    mkdirSync(target, { recursive: true })
    const file = `${target}.tgz`
    writeFileSync(file, tgz)
    const tar = spawnSync('tar', ['-xzf', file, '-C', target], { encoding: 'utf8' })
    if (tar.status !== 0) throw new Error(`cannot unpack ${name}: ${tar.stderr}`)
    const pkg = join(target, 'package')
    const files = listFiles(pkg)
    const unpacked = files.reduce((sum, f) => sum + statSync(join(pkg, f)).size, 0)
    rows.push({
      name,
      version,
      packed: tgz.length,
      unpacked,
      files: files.length,
      problems: inspect(pkg, files, published),
    })
  }
  return rows
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`

/** A Markdown table of the rows from {@link checkPublished}. */
export function sizeTable(rows) {
  const lines = [
    '| package | version | packed | unpacked | files |',
    '| --- | --- | ---: | ---: | ---: |',
    ...rows.map(
      (r) => `| ${r.name} | ${r.version} | ${kb(r.packed)} | ${kb(r.unpacked)} | ${r.files} |`,
    ),
  ]
  return lines.join('\n')
}
