import type { PublicApiConfig } from '../runtime/types'
import type { ResolvedApi } from './resolve-apis'

export interface CmsAuthRuntimeConfig {
  public: { apis: Record<string, PublicApiConfig> }
}

/**
 * The one place that decides what the browser may see. A direct static token is public by
 * nature (the browser sends it); every key is pre-seeded so `NUXT_PUBLIC_CMS_AUTH_APIS_*` env
 * variables can override it on a built server.
 */
export function splitRuntimeConfig(apis: ResolvedApi[]): CmsAuthRuntimeConfig {
  const publicApis: Record<string, PublicApiConfig> = {}
  for (const api of apis) {
    publicApis[api.name] = {
      baseURL: api.baseURL,
      auth: api.auth,
      credential: api.credential,
      ...(Object.keys(api.headers).length ? { headers: api.headers } : {}),
      ...(api.auth === 'static' ? { token: api.token } : {}),
    }
  }
  return { public: { apis: publicApis } }
}
