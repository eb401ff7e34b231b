/** What TypeScript shows for `useCmsAuth('news')` in an app whose cmsAuth.apis has no login API. */
type NoLoginApi = 'useCmsAuth needs an API with auth: \'dynamic\' or \'cookie\' in cmsAuth.apis, and this app has none'

/**
 * `useCmsAuth` of an app without a login API, auto-imported instead of the real one so a call
 * explains itself (in the types, and when it runs) rather than `useCmsAuth is not defined`.
 */
export function useCmsAuth(name: NoLoginApi): never {
  throw new Error(`[nuxt-cms-auth] useCmsAuth("${name}") needs an API with auth: 'dynamic' or 'cookie' in cmsAuth.apis; this app has none, so no login code is installed`)
}
