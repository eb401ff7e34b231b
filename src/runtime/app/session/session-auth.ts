import type { NuxtApp } from '#app'
import { useState } from '#imports'
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
  if (channel) {
    channel.onmessage = ({ data }) => {
      state.value = data.state
      void hook(`cms-auth:${data.type}`, { fromOtherTab: true })
    }
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

  return {
    loginRoute: session.loginRoute,
    state,
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
