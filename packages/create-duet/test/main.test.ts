import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main } from '../src/index'

let work: string
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'create-duet-cli-'))
})
afterEach(() => rmSync(work, { recursive: true, force: true }))

/** Runs the CLI with `answers` typed on stdin; resolves to its exit code and output. */
async function run(argv: string[], answers: string[] = [], userAgent?: string) {
  const stdin = new PassThrough()
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (d) => {
    out += d
  })
  stderr.on('data', (d) => {
    err += d
  })
  stdin.end(answers.map((a) => `${a}\n`).join(''))
  const code = await main({ argv, stdin, stdout, stderr, cwd: work, userAgent })
  return { code, out, err }
}

const templateOf = (dir: string) =>
  JSON.parse(readFileSync(join(work, dir, 'package.json'), 'utf8')).dependencies

describe('create-duet', () => {
  it('should write the template and folder given as flags without asking', async () => {
    const { code, out } = await run(['call', '--template', 'sveltekit', '--yes'])
    expect(code).toBe(0)
    expect(templateOf('call')).toHaveProperty('@duet/svelte')
    expect(existsSync(join(work, 'call', 'svelte.config.js'))).toBe(true)
    expect(out).toContain('cd call\n  npm install\n  npm run dev')
  })

  it('should take the defaults with --yes', async () => {
    const { code } = await run(['-y'])
    expect(code).toBe(0)
    expect(templateOf('duet-app')).toHaveProperty('@duet/vue')
  })

  it('should ask for the folder and the template, retrying a wrong answer', async () => {
    const { code, out } = await run([], ['room', 'angular', '3'])
    expect(code).toBe(0)
    expect(out).toContain('"angular" is not a template.')
    expect(existsSync(join(work, 'room', 'nuxt.config.ts'))).toBe(true)
  })

  it('should name pnpm in the next steps when pnpm ran it', async () => {
    const { out } = await run(['p', '-t', 'svelte', '-y'], [], 'pnpm/10.34.9 npm/? node/v20.20.2')
    expect(out).toContain('pnpm install\n  pnpm run dev')
  })

  it('should exit 1 with one line for a folder that is not empty', async () => {
    mkdirSync(join(work, 'taken'))
    writeFileSync(join(work, 'taken', 'keep.txt'), '')
    const { code, err } = await run(['taken', '-t', 'vue', '-y'])
    expect(code).toBe(1)
    expect(err).toMatch(/^create-duet: .*taken already exists and is not an empty folder\./)
  })

  it('should exit 1 on an unknown template before asking anything', async () => {
    const { code, out, err } = await run(['--template', 'react'])
    expect(code).toBe(1)
    expect(out).toBe('')
    expect(err).toBe(
      'create-duet: Unknown template "react". Choose one of: vue, svelte, nuxt, sveltekit.\n',
    )
  })

  it('should exit 2 on an unknown flag and exit 1 when input ends before an answer', async () => {
    expect((await run(['--force'])).code).toBe(2)
    const cancelled = await run([], [])
    expect(cancelled.code).toBe(1)
    expect(cancelled.err).toBe('create-duet: Cancelled.\n')
  })

  it('should print usage with --help', async () => {
    const { code, out } = await run(['--help'])
    expect(code).toBe(0)
    expect(out).toContain('--template <name>  vue | svelte | nuxt | sveltekit')
  })
})
