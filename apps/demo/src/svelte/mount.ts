import { mount as mountComponent } from 'svelte'
import type { Route } from '../route'
import App from './App.svelte'

/** Renders the Svelte UI for a route. */
export function mount(target: HTMLElement, route: Route): void {
  mountComponent(App, { target, props: { route } })
}
