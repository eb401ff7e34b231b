import type { NuxtApp } from '#app'
import { navigateTo, useState } from '#imports'
import { computed } from 'vue'
import type { DynamicProtocol } from '../../core/presets/define'
import { createTokenSession } from '../../core/tokens/token-session'
import type { SessionEvent, TokenStorage } from '../../core/tokens/token-session'
import type { CmsAuthError, TokenSet } from '../../core/tokens/tokens'
import type { PublicApiConfig } from '../../types'
import { connectTabs } from './cross-tab'
import type { TabMessage } from './cross-tab'
import { createDynamicClient, createSend } from '../../core/client/dynamic-client'
import { ssrRefreshHandoff } from './ssr-refresh'

export type CmsAuthStatus = 'logged-out' | 'anonymous' | 'logged-in'

/** What survives hydration (via the payload): no token, only what the page shows. */
interface AuthState {
  status: CmsAuthStatus
  user: unknown
  expiresAt: number | null
}

const statusOf = (tokens: TokenSet | null): CmsAuthStatus => !tokens ? 'logged-out' : tokens.anonymous ? 'anonymous' : 'logged-in'

/**
 * Everything one dynamic API needs on one Nuxt app instance (one SSR request, or one tab):
 * the token session, the reactive state `useCmsAuth` exposes, the authorised client, and the
 * wiring to hooks and other tabs. Nothing here is module-level: no state crosses requests.
 */
export function createApiAuth(nuxtApp: NuxtApp, name: string, api: PublicApiConfig & { dynamic: NonNullable<PublicApiConfig['dynamic']> }, protocol: DynamicProtocol, storage: TokenStorage) {
  const options = api.dynamic
  const state = useState<AuthState>(`cms-auth:${name}`, () => ({ status: 'logged-out', user: null, expiresAt: null }))
  // `cms-auth:<type>` with this API's name: login, logout, refresh, error.
  const hook = (type: string, context: Record<string, unknown>) => (nuxtApp.callHook as (...args: unknown[]) => Promise<void>)(`cms-auth:${type}`, { api: name, ...context })

  // Follow the tokens (this tab's, or the shared cookie after another tab changed it).
  const sync = (user?: unknown) => {
    const tokens = storage.read() ?? null
    const status = statusOf(tokens)
    state.value = { status, user: status === 'logged-in' ? (user ?? (state.value.status === status ? state.value.user : null)) : null, expiresAt: tokens?.expiresAt ?? null }
  }

  const leaveProtectedPage = () => {
    const route = nuxtApp.$router?.currentRoute.value
    if (import.meta.client && route && [route.meta.middleware].flat().includes('cms-auth'))
      return nuxtApp.runWithContext(() => navigateTo({ path: options.loginRoute, query: { redirect: route.fullPath } }))
  }

  const tabs = connectTabs(`cms-auth:${options.cookie.name}`, (message: TabMessage) => {
    sync(message.user)
    void hook(message.type, { fromOtherTab: true })
    if (message.type === 'logout')
      void leaveProtectedPage()
    // The other tab fetched its user after logging in: this tab asks for its own copy.
    else if (message.type === 'login' && message.user === undefined)
      void loadUser()
  })

  const onEvent = (event: SessionEvent) => {
    sync(event.type === 'login' ? event.user : undefined)
    if (event.type === 'error') {
      void hook('error', { error: event.error })
      return
    }
    tabs.post({ type: event.type, ...(event.type === 'login' && event.user !== undefined ? { user: event.user } : {}) })
    void hook(event.type, event.type === 'logout' ? { reason: event.reason } : {})
    if (event.type === 'logout' && event.error) {
      void hook('error', { error: event.error })
      void leaveProtectedPage()
    }
  }

  const session = createTokenSession({
    protocol,
    endpoints: options.endpoints,
    send: createSend(api),
    storage,
    marginMs: options.refreshMargin * 1000,
    lock: tabs.lock,
    handoff: ssrRefreshHandoff,
    onEvent,
  })
  const client = createDynamicClient(name, api, protocol, () => session)

  async function fetchUser() {
    if (!options.fetchUser || !options.endpoints.user || state.value.status !== 'logged-in')
      return
    const body = await client(options.endpoints.user)
    if (state.value.status === 'logged-in')
      state.value = { ...state.value, user: protocol.readUser ? protocol.readUser(body) : body }
  }

  const loadUser = () => fetchUser().catch((error: unknown) => hook('error', { error }))

  sync()
  // A page the server did not render (or rendered before the user was known) asks for the user once mounted.
  if (import.meta.client)
    nuxtApp.hook('app:mounted', () => state.value.user === null ? loadUser() : undefined)

  return {
    client,
    loginRoute: options.loginRoute,
    /** Fills `user` when the session is known but the user is not (first SSR, SPA start). */
    fetchUser: loadUser,
    public: {
      status: computed(() => state.value.status),
      loggedIn: computed(() => state.value.status === 'logged-in'),
      user: computed(() => state.value.user),
      /** When the access token expires (epoch ms, this machine's clock), or null. */
      expiresAt: computed(() => state.value.expiresAt),
      /** Logs in with the CMS's credential fields; without credentials, Kuroco's anonymous token. */
      async login(credentials?: Record<string, unknown>) {
        try {
          const { user } = await session.login(credentials)
          if (user === undefined)
            await fetchUser()
        }
        catch (error) {
          void hook('error', { error: error as CmsAuthError })
          throw error
        }
      },
      logout: () => session.logout(),
      refresh: async () => {
        await session.refresh()
      },
    },
  }
}

export type ApiAuth = ReturnType<typeof createApiAuth>
