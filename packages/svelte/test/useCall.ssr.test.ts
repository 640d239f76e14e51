// @vitest-environment node
// The node environment makes vite-plugin-svelte compile for the server, as SvelteKit would.
import { ssrContract } from '@duet/test-kit/contract'
import { render } from 'svelte/server'
import CallProbe from './fixtures/CallProbe.svelte'
import { phase } from './support/testingLibrary'

ssrContract({
  phase,
  renderToString: async (props) => render(CallProbe, { props }).body,
})
