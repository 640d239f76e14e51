// @duet/svelte's sources import its `.svelte` component; svelte-check knows that file type,
// plain TypeScript (which TypeDoc runs) needs to be told.
declare module '*.svelte' {
  import type { Component } from 'svelte'

  const component: Component
  export default component
}
