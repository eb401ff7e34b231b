import type { NuxtApp } from '#app'
import type { FetchError } from 'ofetch'
import type { CmsAuthState } from '../../core/auth-state'
import { authError, isTransientStatus } from '../../core/tokens/tokens'
import type { PublicApiConfig } from '../../types'
import type { Login } from '../login/login-state'
import { createRemoteLogin } from '../login/remote-login'

/**
 * A server-held session's kind of login (`proxy-session`, `proxy-cookie`): the browser only calls
 * the session routes; no token, refresh or lock lives here. During SSR, `serverState` reads the
 * session on the server instead. A cookie session's answer names the APIs that share it (same
 * upstream): they are asked again after a login, a logout or its end.
 */
export function createSessionLogin(nuxtApp: NuxtApp, name: string, session: NonNullable<PublicApiConfig['session']>, logins: Record<string, Login>, serverState?: () => Promise<CmsAuthState>) {
  const others = (shared: string[] = []) => Promise.all(shared.map(other => logins[other]?.load?.()))
  const login = createRemoteLogin(nuxtApp, name, session.loginRoute, async (action, credentials) => {
    const next = action === 'session'
      ? await (serverState?.() ?? $fetch<CmsAuthState>(`${session.route}/session`))
      : await $fetch<CmsAuthState>(`${session.route}/${action}`, { method: 'POST', body: credentials ?? {} }).catch((error) => {
          throw routeError(error)
        })
    if (action === 'login' || action === 'logout')
      await others(next.shared)
    return next
  })
  return {
    ...login,
    ended() {
      const { shared } = login.state.value
      login.ended()
      void others(shared)
    },
  }
}

/**
 * A session route's refusal as direct mode reports it: `reason` ('rejected', or 'unavailable' for
 * 5xx, 429 and network errors), `statusCode` and the route's message (the module's own words; the
 * CMS's body stays on the server), instead of ofetch's `[POST] "…/login": 401 Unauthorized`.
 */
function routeError(error: FetchError<{ message?: unknown }>) {
  const status = error.response?.status
  const message = typeof error.data?.message === 'string' ? error.data.message : `the session route answered ${status ?? 'nothing'}`
  return authError(!status || isTransientStatus(status) ? 'unavailable' : 'rejected', message, status ? { status, body: undefined } : undefined)
}
