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
  return auth.public
}
