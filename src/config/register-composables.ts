import { addImports } from '@nuxt/kit'
import type { Register } from './options'

/** `useCmsApi` and `useCmsFetch` (keyed per call site like `useFetch`), and the `#cms-auth` types alias. */
export const registerComposables: Register = (_options, { nuxt, resolve }) => {
  nuxt.options.alias['#cms-auth'] = resolve('./runtime/types')
  const composables = resolve('./runtime/app/composables')
  addImports([
    { name: 'useCmsApi', from: `${composables}/useCmsApi` },
    { name: 'useCmsFetch', from: `${composables}/useCmsFetch` },
  ])
  nuxt.options.optimization.keyedComposables.push({ name: 'useCmsFetch', argumentLength: 4, source: `${composables}/useCmsFetch` })
}
