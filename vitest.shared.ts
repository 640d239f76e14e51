import { defaultClientConditions, defaultServerConditions } from 'vite'

/**
 * Resolve workspace packages to their TypeScript sources (the `@duet/source` export
 * condition), so tests run without a build.
 */
export const sourceResolve = {
  resolve: { conditions: ['@duet/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@duet/source', ...defaultServerConditions] } },
}
