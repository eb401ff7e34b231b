import { defineNuxtPlugin } from '#imports'
// Generated: only the presets (and custom storages) the configured dynamic APIs use.
import { protocols, storages } from '#build/cms-auth-dynamic.mjs'
import type { PublicApiConfig } from '../../types'
import { createApiAuth } from './api-auth'
import type { ApiAuth } from './api-auth'
import { cookieStorage, memoryStorage } from './token-storage'
import { usePublicApis } from '../public-apis'

type DynamicApi = PublicApiConfig & { dynamic: NonNullable<PublicApiConfig['dynamic']> }

/** Registered only when a dynamic API is configured: a static-only app ships none of this. */
export default defineNuxtPlugin({
  name: 'cms-auth:dynamic',
  enforce: 'pre',
  setup(nuxtApp): Promise<void> | void {
    const apis = usePublicApis<DynamicApi>()
    const app = nuxtApp as typeof nuxtApp & { _cmsAuth?: Record<string, ApiAuth>, _cmsClients?: Record<string, unknown> }
    const auths: Record<string, ApiAuth> = app._cmsAuth = {}
    const clients = app._cmsClients ||= {}
    for (const name in protocols) {
      const api = apis[name]!
      const createStorage = storages[name] ?? (api.dynamic.storage === 'memory' ? memoryStorage : cookieStorage)
      const auth = auths[name] = createApiAuth(nuxtApp, name, api, protocols[name]!, createStorage({ api: name, nuxtApp, options: api.dynamic }))
      // useCmsApi(name) returns this client: the token rides on every request to the API.
      clients[name] = auth.client
    }
    // During SSR, learning the user also refreshes a due access token, so the new cookie is in
    // this response; the browser then starts with a fresh token and does not refresh again.
    // Returned, not awaited: an `await` here makes Nuxt import unctx into this file by absolute path,
    // which Vite 8.4 refuses next to Nuxt's external `unctx` (test/unit/app/plugin-await.test.ts).
    if (import.meta.server)
      return Promise.all(Object.values(auths).map(auth => auth.fetchUser())).then(() => {})
  },
})
