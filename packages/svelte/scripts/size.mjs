// Min+gzip size of what an app bundles from this package (DuetVideo compiled for the client),
// with svelte and @duet/core external.
import { gzipSync } from 'node:zlib'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { build, minify } from 'vite'

const [output] = await build({
  configFile: false,
  logLevel: 'silent',
  plugins: [svelte({ configFile: false })],
  build: {
    write: false,
    minify: true,
    lib: { entry: 'dist/index.js', formats: ['es'], fileName: 'index' },
    rollupOptions: { external: [/^svelte/, /^@duet\/core/] },
  },
})
// Lib mode keeps whitespace in ES output; minify it fully, as an app's production build does.
const { code } = await minify('index.js', output.output[0].code, { module: true })
console.log(`@duet/svelte: ${code.length} B min, ${gzipSync(code, { level: 9 }).length} B min+gzip`)
