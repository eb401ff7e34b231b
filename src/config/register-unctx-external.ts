import { addVitePlugin } from '@nuxt/kit'
import type { Register } from './options'

// Where Nuxt's async-context transform imports unctx from (an absolute path, any package manager).
const UNCTX_ENTRY = /[\\/]node_modules[\\/]unctx[\\/]dist[\\/]index\.mjs$/

/**
 * Server builds: the unctx helper that Nuxt's async-context transform imports by absolute path
 * into every plugin and middleware that awaits (Nuxt's own router plugin, in any app with pages)
 * resolves the way Nuxt resolves a plain `import 'unctx'`: external. Vite 8.4's bundler
 * (rolldown 1.3) refuses a module that is both, and `nuxi build` fails with
 * EXTERNAL_MODULES_CANNOT_BE_TRANSFORMED_TO_MODULES or INVALID_EXTERNAL_ID (issue 12). When
 * Nuxt bundles `unctx` instead, this changes nothing.
 */
export const registerUnctxExternal: Register = () => {
  addVitePlugin({
    name: 'cms-auth:unctx-external',
    enforce: 'pre',
    resolveId: {
      filter: { id: UNCTX_ENTRY },
      async handler(id, importer) {
        if (!UNCTX_ENTRY.test(id))
          return null
        const plain = await this.resolve('unctx', importer, { skipSelf: true })
        return plain?.external ? plain : null
      },
    },
  }, { client: false, dev: false })
}
