import type { NuxtApp } from '#app'
import type { PublicApiConfig } from '../../types'
import { createLoginState } from '../login-state'
import type { LoginState } from '../login-state'

/**
 * `useCmsAuth(name)` for a session the server holds: the browser only calls the session routes
 * and tells its other tabs what changed. No token, refresh or lock lives here.
 */
export function createSessionAuth(nuxtApp: NuxtApp, name: string, session: NonNullable<PublicApiConfig['session']>) {
  return createLoginState(nuxtApp, name, session.loginRoute, (action, body) => action === 'session'
    ? $fetch<LoginState>(`${session.route}/session`)
    : $fetch<LoginState>(`${session.route}/${action}`, { method: 'POST', body: body ?? {} }))
}
