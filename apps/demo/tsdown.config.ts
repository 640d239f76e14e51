import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: { main: 'server/main.ts' },
  outDir: 'dist-server',
  platform: 'node',
  target: 'node20',
  format: 'esm',
  dts: false,
  // package.json says "type": "module", so plain .js is ESM: `node dist-server/main.js`.
  fixedExtension: false,
  // @duet/server stays external (it is a dependency) and loads its built dist, exactly as an
  // app installing it from npm would; turbo builds it first via `^build`.
  clean: true,
})
