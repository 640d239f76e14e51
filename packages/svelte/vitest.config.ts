import { fileURLToPath } from 'node:url'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { svelteTesting } from '@testing-library/svelte/vite'
import { defineProject } from 'vitest/config'
import { sourceResolve } from '../../vitest.shared'

export default defineProject({
  ...sourceResolve,
  // The root project runs from the repo root, where the plugin would not find our config.
  plugins: [
    svelte({ configFile: fileURLToPath(new URL('svelte.config.js', import.meta.url)) }),
    svelteTesting(),
  ],
  test: { name: 'svelte', environment: 'happy-dom' },
})
