import type { NuxtApp } from '#app'
import { loggedOutState } from '../../core/auth-state'
import type { CmsAuthState } from '../../core/auth-state'
import { createLogin } from './login-state'
import type { LoginChange } from './login-state'

/**
 * A login whose credential the page never holds (direct cookie mode's CMS cookie, a server-held
 * session): `send` asks whoever holds it, for the changes and for `session` (who is logged in
 * now?). A state marked `unknown` (SSR asks a cookie session only when the page needs it) is
 * asked the first time something reads it, once. Only these kinds carry this part.
 */
export function createRemoteLogin(nuxtApp: NuxtApp, name: string, loginRoute: string, send: (action: LoginChange | 'session', credentials?: Record<string, unknown>) => Promise<CmsAuthState>) {
  let asking: Promise<void> | undefined
  // In the browser, reading an unknown state asks for it (SSR waits in useCmsAuth and the middleware).
  const login = createLogin(nuxtApp, name, { loginRoute, onRead: import.meta.client ? () => void ready() : undefined }, send)

  /** Asks who is logged in (SSR, or the browser when no SSR could); a failure counts as nobody. */
  async function load() {
    login.state.value = await send('session').catch((error: unknown) => {
      login.failed(error)
      return loggedOutState
    })
  }
  /** Resolves once the state is known; an unknown one is asked for, once. */
  const ready = () => login.state.value.unknown ? (asking ||= load()) : Promise.resolve()

  return {
    ...login,
    load,
    ready,
    /** Whoever holds the session says it is over (a 401 from the CMS, the server's word). */
    ended() {
      if (login.state.value.status !== 'logged-out')
        login.changed('logout', loggedOutState, 'rejected')
    },
  }
}
