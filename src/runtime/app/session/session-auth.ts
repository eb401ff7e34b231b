import type { NuxtApp } from '#app'
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
      : await $fetch<LoginState>(`${session.route}/${action}`, { method: 'POST', body: body ?? {} })
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
