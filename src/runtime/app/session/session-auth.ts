import type { NuxtApp } from '#app'
import { navigateTo, useState } from '#imports'
import { computed } from 'vue'
import type { PublicApiConfig } from '../../types'
import type { CmsAuthStatus } from '../dynamic/api-auth'

interface SessionState {
  status: CmsAuthStatus
  user: unknown
  expiresAt: number | null
}

/**
 * `useCmsAuth(name)` for a session the server holds: the browser only calls the session routes
 * and tells its other tabs what changed. No token, refresh or lock lives here.
 */
export function createSessionAuth(nuxtApp: NuxtApp, name: string, session: NonNullable<PublicApiConfig['session']>) {
  const state = useState<SessionState>(`cms-auth:${name}`, () => ({ status: 'logged-out', user: null, expiresAt: null }))
  const hook = (hookName: string, context: object) => (nuxtApp.callHook as (...args: unknown[]) => Promise<void>)(hookName, { api: name, ...context })
  const channel = import.meta.client && typeof BroadcastChannel === 'function' ? new BroadcastChannel(`cms-auth:${name}`) : undefined
  const loggedOut: SessionState = { status: 'logged-out', user: null, expiresAt: null }

  // As in direct mode: a page behind the `cms-auth` middleware sends its visitor to the login route.
  const leaveProtectedPage = () => {
    const route = nuxtApp.$router?.currentRoute.value
    if (import.meta.client && route && route.path !== session.loginRoute && [route.meta.middleware].flat().includes('cms-auth'))
      return nuxtApp.runWithContext(() => navigateTo({ path: session.loginRoute, query: { redirect: route.fullPath } }))
  }

  if (channel) {
    channel.onmessage = ({ data }) => {
      state.value = data.state
      void hook(`cms-auth:${data.type}`, { fromOtherTab: true })
      if (data.type === 'logout')
        void leaveProtectedPage()
    }
  }

  /** The server answered `x-cms-auth-session: ended`: the CMS rejected the refresh, the cookie is gone. */
  function ended() {
    if (state.value.status === 'logged-out')
      return
    state.value = loggedOut
    channel?.postMessage({ type: 'logout', state: loggedOut })
    void hook('cms-auth:logout', { reason: 'rejected' })
    void leaveProtectedPage()
  }

  async function act(type: 'login' | 'logout' | 'refresh', body?: object) {
    let next: SessionState
    try {
      next = await $fetch<SessionState>(`${session.route}/${type}`, { method: 'POST', body: body ?? {} })
    }
    catch (error) {
      void hook('cms-auth:error', { error })
      throw error
    }
    state.value = next
    channel?.postMessage({ type, state: next })
    void hook(`cms-auth:${type}`, {})
  }

  /** Asks the server who is logged in (in the browser, when no SSR did). */
  async function load() {
    state.value = await $fetch<SessionState>(`${session.route}/session`).catch((error: unknown) => {
      void hook('cms-auth:error', { error })
      return loggedOut
    })
  }

  return {
    loginRoute: session.loginRoute,
    state,
    ended,
    load,
    public: {
      status: computed(() => state.value.status),
      loggedIn: computed(() => state.value.status === 'logged-in'),
      user: computed(() => state.value.user),
      expiresAt: computed(() => state.value.expiresAt),
      login: (credentials?: Record<string, unknown>) => act('login', credentials),
      logout: () => act('logout'),
      refresh: () => act('refresh'),
    },
  }
}
