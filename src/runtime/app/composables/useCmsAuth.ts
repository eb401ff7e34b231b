import { getCurrentInstance, onServerPrefetch } from 'vue'
import { useNuxtApp } from '#imports'
import type { CmsApiName } from '../../types'
import type { ApiAuth } from '../dynamic/api-auth'

/**
 * Login state and actions of one `auth: 'dynamic'` or `auth: 'cookie'` API:
 * `const { status, loggedIn, user, login, logout, refresh } = useCmsAuth('member')`.
 */
export function useCmsAuth(name: CmsApiName): ApiAuth['public'] {
  const auth = (useNuxtApp() as { _cmsAuth?: Record<string, ApiAuth> })._cmsAuth?.[name]
  if (!auth)
    throw new Error(`[nuxt-cms-auth] useCmsAuth("${name}") needs cmsAuth.apis.${name} with auth: 'dynamic' or 'cookie'`)
  // SSR of a cookie session: the component that asks renders once its state is known.
  const ready = (auth as { ready?: () => Promise<void> }).ready
  if (import.meta.server && ready && getCurrentInstance())
    onServerPrefetch(ready)
  return auth.public
}
