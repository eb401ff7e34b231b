import type { NuxtApp } from '#app'
import { navigateTo, useState } from '#imports'
import { computed } from 'vue'
import { loggedOutState as loggedOut } from '../core/cookies/cookie-state'
import type { CmsAuthStatus } from './dynamic/api-auth'

export interface LoginState {
  status: CmsAuthStatus
  user: unknown
  expiresAt: number | null
  /** Cookie sessions through the proxy: the other APIs on the same upstream (they share the session). */
  shared?: string[]
  /** Not asked yet (SSR asks only when the page needs it): the first use asks, once. */
  unknown?: true
}

/** What `send` is asked to do: the three actions, or `session` (who is logged in now?). */
export type LoginAction = 'login' | 'logout' | 'refresh' | 'session'

/**
 * `useCmsAuth(name)` for a login whose credential the page never holds (a CMS session cookie; a
 * server-held session could use it too): `send` asks whoever holds it, and this keeps the state,
 * the hooks, the other tabs and a page behind the `cms-auth` middleware in step.
 */
export function createLoginState(nuxtApp: NuxtApp, name: string, loginRoute: string, send: (action: LoginAction, body?: object) => Promise<LoginState>) {
  const state = useState<LoginState>(`cms-auth:${name}`, () => ({ ...loggedOut }))
  const hook = (hookName: string, context: object) => (nuxtApp.callHook as (...args: unknown[]) => Promise<void>)(hookName, { api: name, ...context })
  const channel = import.meta.client && typeof BroadcastChannel === 'function' ? new BroadcastChannel(`cms-auth:${name}`) : undefined

  // As in direct dynamic mode: a page behind the `cms-auth` middleware sends its visitor to the login route.
  const leaveProtectedPage = () => {
    const route = nuxtApp.$router?.currentRoute.value
    if (import.meta.client && route && route.path !== loginRoute && [route.meta.middleware].flat().includes('cms-auth'))
      return nuxtApp.runWithContext(() => navigateTo({ path: loginRoute, query: { redirect: route.fullPath } }))
  }

  if (channel) {
    channel.onmessage = ({ data }) => {
      state.value = data.state
      void hook(`cms-auth:${data.type}`, { fromOtherTab: true })
      if (data.type === 'logout')
        void leaveProtectedPage()
    }
  }

  /** Whoever holds the session says it is over (a 401 from the CMS, the server's `ended`). */
  function ended() {
    if (state.value.status === 'logged-out')
      return
    state.value = loggedOut
    channel?.postMessage({ type: 'logout', state: loggedOut })
    void hook('cms-auth:logout', { reason: 'rejected' })
    void leaveProtectedPage()
  }

  async function act(type: Exclude<LoginAction, 'session'>, body?: object) {
    let next: LoginState
    try {
      next = await send(type, body)
    }
    catch (error) {
      void hook('cms-auth:error', { error })
      throw error
    }
    state.value = next
    channel?.postMessage({ type, state: next })
    void hook(`cms-auth:${type}`, {})
  }

  /** Asks who is logged in (SSR, or the browser when no SSR could); a failure counts as nobody. */
  async function load() {
    state.value = await send('session').catch((error: unknown) => {
      void hook('cms-auth:error', { error })
      return loggedOut
    })
  }

  let asking: Promise<void> | undefined
  /** Resolves once the state is known; an unknown one is asked for, once. */
  const ready = () => state.value.unknown ? (asking ||= load()) : Promise.resolve()
  // In the browser, reading an unknown state asks for it (SSR waits in useCmsAuth and the middleware).
  const read = <T>(pick: (current: LoginState) => T) => computed(() => {
    if (import.meta.client)
      void ready()
    return pick(state.value)
  })

  return {
    loginRoute,
    state,
    ended,
    load,
    ready,
    public: {
      status: read(current => current.status),
      loggedIn: read(current => current.status === 'logged-in'),
      user: read(current => current.user),
      expiresAt: read(current => current.expiresAt),
      login: (credentials?: Record<string, unknown>) => act('login', credentials),
      logout: () => act('logout'),
      refresh: () => act('refresh'),
    },
  }
}
