// @vitest-environment node
// The node environment makes @vitejs/plugin-vue compile for the server, as Nuxt would.
import { ssrContract } from '@duet/test-kit/contract'
import { createSSRApp } from 'vue'
import { renderToString } from 'vue/server-renderer'
import CallProbe from './fixtures/CallProbe.vue'
import { phase } from './support/testingLibrary'

ssrContract({
  phase,
  renderToString: (props) => renderToString(createSSRApp(CallProbe, { ...props })),
})
