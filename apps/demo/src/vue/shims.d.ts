// For svelte-check only, which cannot read .vue files: vue-tsc resolves the real components
// first, so this wildcard never applies there.
declare module '*.vue' {
  import type { DefineComponent } from 'vue'

  const component: DefineComponent
  export default component
}
