import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DOCS_FILE, renderMachineDocs } from '../scripts/machineDocs'

describe('docs/machine.md', () => {
  it('should match what the machine definitions generate', () => {
    const stale = 'docs/machine.md is stale: run pnpm diagram'
    const onDisk = existsSync(DOCS_FILE) ? readFileSync(DOCS_FILE, 'utf8') : ''
    expect(onDisk, stale).toBe(renderMachineDocs())
  })
})
