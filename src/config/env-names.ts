import { snakeCase } from 'scule'

/**
 * The env variable Nuxt maps onto a runtimeConfig key, computed the way Nitro's `applyEnv` does
 * (path joined with `_`, snake-cased, upper-cased), so error messages name the exact variable.
 */
export function runtimeEnvName(scope: 'public' | 'private', apiName: string, key: string): string {
  const path = [...(scope === 'public' ? ['public'] : []), 'cmsAuth', 'apis', apiName, key].join('_')
  return `NUXT_${snakeCase(path).toUpperCase()}`
}
