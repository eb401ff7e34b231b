import { useNuxtApp } from '#imports'
import { withAppBase } from '../core/client/app-base'
import type { PublicApiConfig } from '../types'
import { useCmsRegistry } from './registry'

/**
 * The browser-safe config of every API, with paths of this app under `app.baseURL` (read at
 * runtime, so NUXT_APP_BASE_URL counts). Resolved once per Nuxt app instance.
 */
export function usePublicApis(nuxtApp = useNuxtApp()): Record<string, PublicApiConfig> {
  const config = nuxtApp.$config
  return useCmsRegistry(nuxtApp).apis ||= withAppBase((config.public.cmsAuth as { apis: Record<string, PublicApiConfig> }).apis, config.app.baseURL)
}
