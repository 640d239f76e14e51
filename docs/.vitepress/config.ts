import { defineConfig } from 'vitepress'
import { apiSidebar } from './apiSidebar'
import { copyMermaidAsset, MERMAID_PATH, mermaidAsset } from './mermaidAsset'
import { mermaidFences } from './mermaidFences'
import { guideSidebar } from './sidebar'

// The API pages under api/ are written by TypeDoc at build time (see typedoc.json), never by hand.
export default defineConfig({
  title: 'Duet',
  description:
    'WebRTC calls whose negotiation is an explicit xstate state machine, with Vue and Svelte bindings and a signaling server.',
  cleanUrls: true,
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/logo.svg' }]],
  lastUpdated: false,
  // Test sources and the TypeDoc entry files are not pages.
  srcExclude: ['test/**', 'reference-entries/**'],
  markdown: { config: mermaidFences },
  vite: {
    plugins: [mermaidAsset()],
    define: { __MERMAID_PATH__: JSON.stringify(MERMAID_PATH) },
  },
  buildEnd: ({ outDir }) => copyMermaidAsset(outDir),
  // docs/machine.md is generated (no front matter of its own): its diagrams get the full width.
  transformPageData(pageData) {
    if (pageData.relativePath === 'machine.md') pageData.frontmatter.aside = false
  },
  themeConfig: {
    logo: '/logo.svg',
    nav: [
      { text: 'Getting started', link: '/start/vue' },
      { text: 'Guides', link: '/guide/rooms' },
      { text: 'Machine', link: '/machine' },
      { text: 'API', link: '/api/' },
    ],
    sidebar: {
      '/api/': apiSidebar(),
      '/': guideSidebar,
    },
    // minisearch, built into the site: no search service to reach.
    search: { provider: 'local' },
    outline: [2, 3],
  },
})
