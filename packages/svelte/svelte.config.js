import { vitePreprocess } from '@sveltejs/vite-plugin-svelte'

// `script: true` makes svelte-package publish plain-JS `.svelte` files, so consumers'
// tooling needs no TypeScript support to read them.
export default { preprocess: vitePreprocess({ script: true }) }
