import type { $Fetch } from 'ofetch'
import { useNuxtApp } from '#imports'
import type { CmsApiName, PublicApiConfig } from '../../types'
import { createCmsClient } from '../../core/client/cms-client'
import { markInProcess } from '../../core/client/in-process'
import { usePublicApis } from '../public-apis'

/**
 * A `$fetch`-like client for one configured API: `await useCmsApi('news')('/content/list')`.
 * Clients live on the Nuxt app instance, which is per request on the server, so nothing is
 * shared between two users' SSR renders.
 */
export function useCmsApi(name: CmsApiName): $Fetch {
  const nuxtApp = useNuxtApp() as ReturnType<typeof useNuxtApp> & { _cmsClients?: Record<string, $Fetch> }
  const clients = nuxtApp._cmsClients ||= {}
  const api = apiConfig(name)
  // During SSR a proxy API's calls reach the proxy route in-process: say they are the module's own.
  return clients[name] ||= createCmsClient(name, api, import.meta.server && api.mode === 'proxy' ? markInProcess : undefined)
}

function apiConfig(name: string): PublicApiConfig {
  const api = usePublicApis()[name]
  if (!api)
    throw new Error(`[nuxt-cms-auth] No API named "${name}": add it to cmsAuth.apis in nuxt.config`)
  return api
}
