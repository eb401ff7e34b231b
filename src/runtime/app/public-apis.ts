import { useNuxtApp, useRuntimeConfig } from '#imports'
import { withAppBase } from '../core/client/app-base'
import type { PublicApiConfig } from '../types'

/**
 * The browser-safe config of every API, with paths of this app under `app.baseURL` (read at
 * runtime, so NUXT_APP_BASE_URL counts). Resolved once per Nuxt app instance.
 */
export function usePublicApis<T extends PublicApiConfig = PublicApiConfig>(): Record<string, T> {
  const nuxtApp = useNuxtApp() as ReturnType<typeof useNuxtApp> & { _cmsApis?: Record<string, PublicApiConfig> }
  const config = useRuntimeConfig()
  return (nuxtApp._cmsApis ||= withAppBase((config.public.cmsAuth as { apis: Record<string, PublicApiConfig> }).apis, config.app.baseURL)) as Record<string, T>
}
