export type { CliArgs } from './args'
export { parseCliArgs } from './args'
export type { CreateAppOptions, CreatedApp } from './createApp'
export { createApp, isEmptyTarget, ownVersion, toPackageName } from './createApp'
export type { CreateDuetErrorCode } from './errors'
export { CreateDuetError } from './errors'
export type { CliIo } from './main'
export { main } from './main'
export type { TemplateLayer, TemplateName } from './templates'
export {
  assertTemplateName,
  isTemplateName,
  layersOf,
  TEMPLATE_DESCRIPTIONS,
  TEMPLATES,
} from './templates'
