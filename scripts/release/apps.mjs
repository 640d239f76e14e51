// The fresh apps of the release rehearsal, written file by file as a user would after
// `npm create vite`: a Vite + Vue app, a Vite + Svelte app, and a directory that only installs
// the server. Both apps read `?room=` and `?signal=` (the signaling server's URL).
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

function write(dir, files) {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), `${text.trim()}\n`)
  }
}

const manifest = (name, dependencies, devDependencies = {}) =>
  JSON.stringify(
    { name, private: true, version: '0.0.0', type: 'module', dependencies, devDependencies },
    null,
    2,
  )

const indexHtml = (title) => `
<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <title>${title}</title>
  </head>
  <body>
    <div id="app"></div>
    <script type="module" src="/src/main.ts"></script>
  </body>
</html>`

export function writeVueApp(dir, version) {
  write(dir, {
    'package.json': manifest(
      'rehearsal-vue',
      { '@duet/vue': version, vue: '^3.5.0' },
      { '@vitejs/plugin-vue': '^6.0.0', vite: '^8.0.0' },
    ),
    'index.html': indexHtml('Duet + Vue'),
    'vite.config.js': `
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

export default defineConfig({ plugins: [vue()] })`,
    'src/main.ts': `
import { createApp } from 'vue'
import App from './App.vue'

createApp(App).mount('#app')`,
    'src/App.vue': `
<script setup lang="ts">
import { DuetVideo, useCall } from '@duet/vue'

const query = new URLSearchParams(location.search)
const { status, isInRoom, localStream, remoteStream, join } = useCall({
  signaling: query.get('signal') ?? 'http://localhost:3000',
  roomId: query.get('room') ?? 'lobby',
})
</script>

<template>
  <p id="status">{{ status }}</p>
  <DuetVideo id="local" :stream="localStream" muted />
  <DuetVideo id="remote" :stream="remoteStream" />
  <button v-if="!isInRoom" @click="join()">Join</button>
</template>`,
  })
}

export function writeSvelteApp(dir, version) {
  write(dir, {
    'package.json': manifest(
      'rehearsal-svelte',
      { '@duet/svelte': version, svelte: '^5.29.0' },
      { '@sveltejs/vite-plugin-svelte': '^7.0.0', vite: '^8.0.0' },
    ),
    'index.html': indexHtml('Duet + Svelte'),
    'vite.config.js': `
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vite'

export default defineConfig({ plugins: [svelte()] })`,
    'src/main.ts': `
import { mount } from 'svelte'
import App from './App.svelte'

mount(App, { target: document.getElementById('app')! })`,
    'src/App.svelte': `
<script lang="ts">
  import { DuetVideo, useCall } from '@duet/svelte'

  const query = new URLSearchParams(location.search)
  const call = useCall({
    signaling: query.get('signal') ?? 'http://localhost:3000',
    roomId: query.get('room') ?? 'lobby',
  })
</script>

<p id="status">{call.status}</p>
<DuetVideo id="local" stream={call.localStream} muted />
<DuetVideo id="remote" stream={call.remoteStream} />
{#if !call.isInRoom}
  <button onclick={() => call.join()}>Join</button>
{/if}`,
  })
}

export function writeServerDir(dir, version) {
  write(dir, { 'package.json': manifest('rehearsal-server', { '@duet/server': version }) })
}
