import type { Register } from './options'
import type { ResolvedApi } from './resolve-apis'

type RouteRules = Record<string, Record<string, unknown> | undefined>

/** Route-rule options that make Nitro keep a rendered page and serve it to the next visitor. */
const PAGE_CACHING = ['swr', 'isr', 'cache'] as const

/**
 * A warning per route rule that caches pages (`swr`, `isr`, `cache`) while an API renders one
 * visitor's data into them: a login (`auth: 'dynamic'` or `'cookie'`) or preview mode. The module
 * cannot tell which page calls which API, so it names both and leaves the fix to the app.
 * Rules under the proxy prefix, `/api/` or Nuxt's own assets cover no page.
 */
export function pageCacheWarnings(routeRules: RouteRules, apis: ResolvedApi[], proxyPrefix: string): string[] {
  const personal = apis.filter(api => api.auth === 'dynamic' || api.auth === 'cookie' || api.preview)
  if (!personal.length)
    return []
  const notPages = [`${proxyPrefix}/`, '/api/', '/_nuxt/', '/__nuxt']
  const names = personal.map(api => `cmsAuth.apis.${api.name} (${api.preview && api.auth !== 'dynamic' && api.auth !== 'cookie' ? 'preview mode' : `auth '${api.auth}'`})`).join(', ')
  return Object.entries(routeRules).flatMap(([pattern, rule]) => {
    const caching = PAGE_CACHING.filter(option => rule?.[option] !== undefined && rule[option] !== false)
    if (!caching.length || notPages.some(prefix => pattern.startsWith(prefix)))
      return []
    return [`routeRules['${pattern}'] caches pages (${caching.join(', ')}) while ${names} ${personal.length === 1 ? 'renders' : 'render'} one visitor's data: a page cached for one member or editor would be served to the next. `
      + `Turn caching off for the pages that use ${personal.length === 1 ? 'it' : 'them'} (routeRules['/members/**'] = { ${caching.map(option => `${option}: false`).join(', ')} }), or ignore this if no cached page does (docs/guide/caching.md).`]
  })
}

/** The page-cache guard: checks the app's route rules (Nuxt's and Nitro's) once the config is final. */
export const registerPageCacheGuard: Register = ({ apis, proxyPrefix }, { nuxt, logger }) => {
  nuxt.hook('nitro:config', (nitro) => {
    const rules = { ...nuxt.options.routeRules, ...nitro.routeRules } as RouteRules
    for (const warning of pageCacheWarnings(rules, apis, proxyPrefix))
      logger.warn(warning)
  })
}
