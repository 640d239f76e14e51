import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: 'esm',
  platform: 'node',
  dts: true,
  // `.js`, not tsdown's default `.mjs` for node: package.json exports and `bin` name `.js`
  // files, and `"type": "module"` makes them ESM already.
  fixedExtension: false,
  clean: true,
})
