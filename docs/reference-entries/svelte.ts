/**
 * Svelte 5 bindings: the rune-based `useCall`, the `DuetVideo` component and the `srcObject`
 * attachment.
 * @module @duet/svelte
 */
export * from '@duet/svelte'
