import { CreateDuetError } from './errors'

/** The apps create-duet can write, as `--template` names them. */
export const TEMPLATES = ['vue', 'svelte', 'nuxt', 'sveltekit'] as const

/** One of {@link TEMPLATES}. */
export type TemplateName = (typeof TEMPLATES)[number]

/** What each template is, in one line, for the prompt and `--help`. */
export const TEMPLATE_DESCRIPTIONS: Readonly<Record<TemplateName, string>> = {
  vue: 'Vite + Vue 3 (@duet/vue)',
  svelte: 'Vite + Svelte 5 (@duet/svelte)',
  nuxt: 'Nuxt 4, server-rendered (@duet/vue)',
  sveltekit: 'SvelteKit 2 with adapter-node, server-rendered (@duet/svelte)',
}

/** A folder under templates/ and where its files go in the app (`''`: the app's root). */
export interface TemplateLayer {
  /** Folder under templates/. */
  from: string
  /** Folder of the app it is copied into. */
  to: string
}

const at = (from: string, to = ''): TemplateLayer => ({ from, to })

// Copied in order, later files winning. The room component, the Vite plugin, the small
// production server and the styles are shared, so a fix to one reaches every template.
const LAYERS: Readonly<Record<TemplateName, readonly TemplateLayer[]>> = {
  vue: [
    at('vite-signaling'),
    at('serve'),
    at('spa-server'),
    at('style', 'src'),
    at('vue-room', 'src/components'),
    at('vue'),
  ],
  svelte: [
    at('vite-signaling'),
    at('serve'),
    at('spa-server'),
    at('style', 'src'),
    at('svelte-room', 'src/lib'),
    at('svelte'),
  ],
  nuxt: [at('style', 'app/assets'), at('vue-room', 'app/components'), at('nuxt')],
  sveltekit: [
    at('vite-signaling'),
    at('serve'),
    at('style', 'src'),
    at('svelte-room', 'src/lib'),
    at('sveltekit'),
  ],
}

/** Whether `name` is one of {@link TEMPLATES}. */
export function isTemplateName(name: string): name is TemplateName {
  return (TEMPLATES as readonly string[]).includes(name)
}

/** The template folders `name` is made of, in copy order. */
export function layersOf(name: TemplateName): readonly TemplateLayer[] {
  return LAYERS[name]
}

/** Throws `UNKNOWN_TEMPLATE`, naming the templates there are, unless `name` is one. */
export function assertTemplateName(name: string): asserts name is TemplateName {
  if (!isTemplateName(name)) {
    throw new CreateDuetError(
      'UNKNOWN_TEMPLATE',
      `Unknown template "${name}". Choose one of: ${TEMPLATES.join(', ')}.`,
    )
  }
}
