import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CreateDuetError, createApp, ownVersion, TEMPLATES, toPackageName } from '../src/index'

let work: string
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'create-duet-'))
})
afterEach(() => rmSync(work, { recursive: true, force: true }))

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))

describe('createApp', () => {
  it.each(TEMPLATES)(
    'should write the %s template with @duet/* pinned and no token left',
    (template) => {
      const app = createApp({ targetDir: join(work, 'My Call'), template, duetVersion: '1.2.3' })
      const manifest = manifestOf(app.dir)
      expect(manifest.name).toBe('my-call')
      const duet = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }).filter(
        ([name]) => name.startsWith('@duet/'),
      )
      expect(duet.map(([name]) => name)).toContain('@duet/server')
      for (const [, version] of duet) expect(version).toBe('1.2.3')
      for (const file of app.files) {
        expect(readFileSync(join(app.dir, file), 'utf8'), file).not.toMatch(/\{\{\w+\}\}/)
      }
      expect(app.files).toContain('.gitignore')
      expect(app.files).not.toContain('_gitignore')
    },
  )

  it('should give every template a room page with join, mute and hang up', () => {
    for (const template of TEMPLATES) {
      const app = createApp({ targetDir: join(work, template), template })
      const room = app.files.find((f) => /RoomCall\.(vue|svelte)$/.test(f))
      expect(room, template).toBeDefined()
      const text = readFileSync(join(app.dir, room!), 'utf8')
      for (const label of ['Join', 'Mute', 'Hang up', 'startPreview', 'peers']) {
        expect(text, `${template}: ${label}`).toContain(label)
      }
    }
  })

  it('should pin its own version when none is given', () => {
    const app = createApp({ targetDir: join(work, 'app'), template: 'vue' })
    expect(manifestOf(app.dir).dependencies['@duet/vue']).toBe(ownVersion())
  })

  it('should write into an existing empty folder', () => {
    mkdirSync(join(work, 'empty'))
    expect(createApp({ targetDir: join(work, 'empty'), template: 'svelte' }).files).toContain(
      'package.json',
    )
  })

  it('should refuse a folder that is not empty and leave it as it was', () => {
    const target = join(work, 'taken')
    mkdirSync(target)
    writeFileSync(join(target, 'notes.txt'), 'mine')
    expect(() => createApp({ targetDir: target, template: 'vue' })).toThrowError(
      expect.objectContaining({ name: 'CreateDuetError', code: 'TARGET_NOT_EMPTY' }),
    )
    expect(readFileSync(join(target, 'notes.txt'), 'utf8')).toBe('mine')
  })

  it('should refuse an unknown template, naming the ones there are', () => {
    let error: unknown
    try {
      createApp({ targetDir: join(work, 'x'), template: 'react' })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(CreateDuetError)
    expect((error as CreateDuetError).code).toBe('UNKNOWN_TEMPLATE')
    expect((error as Error).message).toBe(
      'Unknown template "react". Choose one of: vue, svelte, nuxt, sveltekit.',
    )
  })
})

describe('toPackageName', () => {
  it('should make a valid npm name from a folder name', () => {
    expect(toPackageName('My Call!')).toBe('my-call')
    expect(toPackageName('.hidden')).toBe('hidden')
    expect(toPackageName('***')).toBe('duet-app')
  })
})
