import { existsSync, readFileSync } from 'node:fs'
import type { DefaultTheme } from 'vitepress'

// Written by typedoc-vitepress-theme next to the API pages.
const generated = new URL('../api/typedoc-sidebar.json', import.meta.url)

/** The API sidebar TypeDoc generated; says how to get it when the pages are missing. */
export function apiSidebar(): DefaultTheme.SidebarItem[] {
  if (!existsSync(generated)) {
    throw new Error('docs/api/ is missing: run `pnpm docs` or `pnpm docs:build` (TypeDoc first)')
  }
  const items = JSON.parse(readFileSync(generated, 'utf8')) as DefaultTheme.SidebarItem[]
  return [{ text: 'API reference', link: '/api/', items }]
}
