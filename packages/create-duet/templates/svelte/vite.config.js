import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vite'
import { duetSignaling } from './duet-signaling.js'

export default defineConfig({ plugins: [svelte(), duetSignaling()] })
