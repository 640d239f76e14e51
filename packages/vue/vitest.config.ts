import vue from '@vitejs/plugin-vue'
import { defineProject } from 'vitest/config'
import { sourceResolve } from '../../vitest.shared'

export default defineProject({
  ...sourceResolve,
  plugins: [vue()],
  test: { name: 'vue', environment: 'happy-dom' },
})
