import { sveltekit } from '@sveltejs/kit/vite'
import { defineConfig } from 'vite'
import { duetSignaling } from './duet-signaling.js'

export default defineConfig({ plugins: [sveltekit(), duetSignaling()] })
