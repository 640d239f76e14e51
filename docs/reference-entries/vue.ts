/**
 * Vue 3 bindings: the `useCall` composable and the `DuetVideo` component.
 * @module @duet/vue
 */
export * from '@duet/vue'
