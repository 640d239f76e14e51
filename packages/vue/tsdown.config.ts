import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: ['src/index.ts'],
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  dts: true,
  // Both are resolved by the app: vue must be a single copy, and core is a dependency.
  deps: { neverBundle: ['vue', '@duet/core'] },
})
