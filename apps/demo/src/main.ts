import './styles.css'
import { type Route, resolveRoute } from './route'

type Mount = (target: HTMLElement, route: Route) => void

// Each UI lives in its own chunk, picked by `?ui=`; the Svelte one joins this map when it exists.
const uis: Record<string, () => Promise<{ mount: Mount }>> = {
  vue: () => import('./vue/mount'),
}

const route = resolveRoute(window.location, window.history)
const ui = new URLSearchParams(window.location.search).get('ui') ?? 'vue'
const { mount } = await (uis[ui] ?? uis.vue!)()
mount(document.querySelector<HTMLElement>('#app')!, route)
