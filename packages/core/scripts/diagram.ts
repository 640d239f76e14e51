// Writes docs/machine.md from the machine definitions: `pnpm diagram` (runs under tsx).
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, relative } from 'node:path'
import { DOCS_FILE, renderMachineDocs } from './machineDocs'

mkdirSync(dirname(DOCS_FILE), { recursive: true })
writeFileSync(DOCS_FILE, renderMachineDocs())
// pnpm runs this from packages/core; report the path from where the user typed the command.
console.log(`wrote ${relative(process.env.INIT_CWD ?? process.cwd(), DOCS_FILE)}`)
