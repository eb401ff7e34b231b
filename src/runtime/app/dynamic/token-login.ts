import type { NuxtApp } from '#app'
import { toRaw } from 'vue'
import type { CmsAuthState } from '../../core/auth-state'
import { createDynamicClient, createSend } from '../../core/client/dynamic-client'
import type { DynamicProtocol } from '../../core/presets/define'
import { createTokenSession } from '../../core/tokens/token-session'
import type { TokenStorage } from '../../core/tokens/token-session'
import type { PublicApiConfig, PublicDynamicConfig } from '../../types'
import { tabLock } from '../login/cross-tab'
import { createLogin } from '../login/login-state'
import { ssrRefreshHandoff } from './ssr-refresh'

/**
 * Direct dynamic mode's kind of login: the token session (login, refresh, logout at the CMS, the
 * tokens in `storage`) behind the one login layer, and the client that carries the token. The
 * state follows the tokens: this tab's, or the shared cookie after another tab changed it.
 */
export function createTokenLogin(nuxtApp: NuxtApp, name: string, api: PublicApiConfig, options: PublicDynamicConfig, protocol: DynamicProtocol, storage: TokenStorage) {
  const channel = `cms-auth:${options.cookie.name}`

  // The user stays while the status does; only a member has one. The current state is read raw:
  // the next one goes to the other tabs, and a reactive proxy cannot be posted.
  const stateOf = (user?: unknown): CmsAuthState => {
    const tokens = storage.read()
    const status = !tokens ? 'logged-out' : tokens.anonymous ? 'anonymous' : 'logged-in'
    const current = toRaw(login.state.value)
    return { status, user: status === 'logged-in' ? user ?? (current.status === status ? current.user : null) : null, expiresAt: tokens?.expiresAt ?? null }
  }

  const login = createLogin(nuxtApp, name, {
    loginRoute: options.loginRoute,
    channel,
    adopt({ type, state }) {
      login.state.value = stateOf(state.user)
      // The other tab had not fetched its user yet: this tab asks for its own copy.
      if (type === 'login' && state.user == null)
        void loadUser()
    },
  }, async (action, credentials) => {
    // The token session's events tell of the change (state, tabs, hook); a login may fetch the user after.
    if (action !== 'login')
      await session[action]()
    else if ((await session.login(credentials)).user === undefined)
      await fetchUser()
    return undefined
  })

  const session = createTokenSession({
    protocol,
    endpoints: options.endpoints,
    send: createSend(api),
    storage,
    marginMs: options.refreshMargin * 1000,
    lock: tabLock(channel),
    handoff: ssrRefreshHandoff,
    onEvent(event) {
      const next = stateOf(event.type === 'login' ? event.user : undefined)
      if (event.type === 'error')
        login.state.value = next
      else
        login.changed(event.type, next, event.type === 'logout' ? event.reason : undefined)
      // A failed refresh, and the logout after one the CMS refused.
      if ('error' in event && event.error)
        login.failed(event.error)
    },
  })
  const client = createDynamicClient(name, api, protocol, () => session)

  async function fetchUser() {
    if (!options.fetchUser || !options.endpoints.user || login.state.value.status !== 'logged-in')
      return
    const body = await client(options.endpoints.user)
    if (login.state.value.status === 'logged-in')
      login.state.value = { ...login.state.value, user: protocol.readUser ? protocol.readUser(body) : body }
  }
  /** Fills `user` when the session is known but the user is not (first SSR, SPA start). */
  const loadUser = () => fetchUser().catch(login.failed)

  login.state.value = stateOf()
  // A page the server did not render (or rendered before the user was known) asks for the user once mounted.
  if (import.meta.client)
    nuxtApp.hook('app:mounted', () => login.state.value.user === null ? loadUser() : undefined)

  return { login, client, loadUser }
}
