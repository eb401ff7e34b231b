import type { $Fetch } from 'ofetch'
import { useNuxtApp } from '#imports'
import type { CmsApiName, PublicApiConfig } from '../../types'
import { createCmsClient } from '../../core/cms-client'
import { usePublicApis } from '../public-apis'

/**
 * A `$fetch`-like client for one configured API: `await useCmsApi('news')('/content/list')`.
 * Clients live on the Nuxt app instance, which is per request on the server, so nothing is
 * shared between two users' SSR renders.
 */
export function useCmsApi(name: CmsApiName): $Fetch {
  const nuxtApp = useNuxtApp() as ReturnType<typeof useNuxtApp> & { _cmsClients?: Record<string, $Fetch> }
  const clients = nuxtApp._cmsClients ||= {}
  return clients[name] ||= createCmsClient(name, apiConfig(name))
}

function apiConfig(name: string): PublicApiConfig {
  const api = usePublicApis()[name]
  if (!api)
    throw new Error(`[nuxt-cms-auth] No API named "${name}": add it to cmsAuth.apis in nuxt.config`)
  return api
}
