import type { NuxtApp } from '#app'
import type { FetchError } from 'ofetch'
import { authError, isTransientStatus } from '../../core/tokens/tokens'
import type { PublicApiConfig } from '../../types'
import { createLoginState } from '../login-state'
import type { LoginState } from '../login-state'

type Auths = Record<string, { load: () => Promise<void> }>

/**
 * `useCmsAuth(name)` for a session the server holds: the browser only calls the session routes
 * and tells its other tabs what changed. No token, refresh or lock lives here. During SSR,
 * `serverState` reads the session on the server instead. A cookie session's answer names the
 * APIs that share it (same upstream): they are asked again after a login, a logout or its end.
 */
export function createSessionAuth(nuxtApp: NuxtApp, name: string, session: NonNullable<PublicApiConfig['session']>, auths: Auths, serverState?: () => Promise<LoginState>) {
  const others = (shared: string[] = []) => Promise.all(shared.map(other => auths[other]?.load()))
  const auth = createLoginState(nuxtApp, name, session.loginRoute, async (action, body) => {
    const next = action === 'session'
      ? await (serverState?.() ?? $fetch<LoginState>(`${session.route}/session`))
      : await $fetch<LoginState>(`${session.route}/${action}`, { method: 'POST', body: body ?? {} }).catch((error) => {
          throw routeError(error)
        })
    if (action === 'login' || action === 'logout')
      await others(next.shared)
    return next
  })
  return {
    ...auth,
    ended() {
      const { shared } = auth.state.value
      auth.ended()
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
