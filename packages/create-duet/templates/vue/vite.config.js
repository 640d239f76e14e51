import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
import { duetSignaling } from './duet-signaling.js'

export default defineConfig({ plugins: [vue(), duetSignaling()] })
