import { createApp } from 'vue'
import type { Route } from '../route'
import App from './App.vue'

/** Renders the Vue UI for a route. */
export function mount(target: HTMLElement, route: Route): void {
  createApp(App, { route }).mount(target)
}
