import { getCurrentInstance, onServerPrefetch } from 'vue'
import type { CmsApiName } from '../../types'
import type { CmsAuth } from '../login/login-state'
import { requireLogin } from '../registry'

/**
 * Login state and actions of one `auth: 'dynamic'` or `auth: 'cookie'` API:
 * `const { status, loggedIn, user, login, logout, refresh } = useCmsAuth('member')`.
 */
export function useCmsAuth(name: CmsApiName): CmsAuth {
  const login = requireLogin(`useCmsAuth("${name}")`, name)
  // SSR of a cookie session not asked yet: the component that asks renders once its state is known.
  if (import.meta.server && login.ready && login.state.value.unknown && getCurrentInstance())
    onServerPrefetch(login.ready)
  return login.public
}
