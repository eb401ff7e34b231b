import { addTypeTemplate } from '@nuxt/kit'
import type { Register } from './options'
import type { ResolvedApi } from './resolve-apis'

/** `types/cms-auth.d.ts`: the configured API names, so `useCmsApi('typo')` fails to typecheck. */
export function apiRegistryTypes(apis: ResolvedApi[]): string {
  const entries = apis.map(api => `    ${JSON.stringify(api.name)}: { preset: ${JSON.stringify(api.preset)}, auth: ${JSON.stringify(api.auth)}, proxy: ${api.proxy !== false} }`)
  return [
    `declare module '#cms-auth' {`,
    `  interface CmsApiRegistry {`,
    ...entries,
    `  }`,
    `}`,
    `export {}`,
    '',
  ].join('\n')
}

/** Types: API names are checked in composables. */
export const registerTypes: Register = ({ apis }) => {
  addTypeTemplate({ filename: 'types/cms-auth.d.ts', getContents: () => apiRegistryTypes(apis) })
}
