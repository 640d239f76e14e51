import './styles.css'
import { type Route, resolveRoute } from './route'
import { currentUi, type Ui } from './ui'

type Mount = (target: HTMLElement, route: Route) => void

// Each UI lives in its own chunk, picked by `?ui=`: the same room, rendered by each binding.
const uis: Record<Ui, () => Promise<{ mount: Mount }>> = {
  vue: () => import('./vue/mount'),
  svelte: () => import('./svelte/mount'),
}

const route = resolveRoute(window.location, window.history)
const { mount } = await uis[currentUi()]()
document.documentElement.dataset.ui = currentUi()
mount(document.querySelector<HTMLElement>('#app')!, route)
