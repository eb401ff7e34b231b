import { nuxtEnvName } from '../runtime/core/env-name'

/**
 * The env variable Nuxt maps onto one key of an API's runtimeConfig (Nitro's `applyEnv` naming),
 * so error messages name the exact variable.
 */
export function runtimeEnvName(scope: 'public' | 'private', apiName: string, key: string): string {
  return nuxtEnvName([...(scope === 'public' ? ['public'] : []), 'cmsAuth', 'apis', apiName, key])
}
