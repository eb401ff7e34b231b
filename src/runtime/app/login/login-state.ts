import type { NuxtApp } from '#app'
import { navigateTo } from '#imports'
import { computed, toRef } from 'vue'
import type { ComputedRef, Ref } from 'vue'
import { loggedOutState } from '../../core/auth-state'
import type { CmsAuthState, CmsAuthStatus } from '../../core/auth-state'
import { connectTabs } from './cross-tab'
import type { TabMessage } from './cross-tab'
import type { CmsAuthRuntimeHooks } from './hooks'
import { loginRedirect } from './login-route'

/** What `useCmsAuth(name)` returns, whichever kind of login the API has. */
export interface CmsAuth {
  status: ComputedRef<CmsAuthStatus>
  loggedIn: ComputedRef<boolean>
  user: ComputedRef<unknown>
  /** When the access token expires (epoch ms, this machine's clock), or null. */
  expiresAt: ComputedRef<number | null>
  /** Logs in with the CMS's credential fields; without credentials, Kuroco's anonymous token. */
  login: (credentials?: Record<string, unknown>) => Promise<void>
  logout: () => Promise<void>
  refresh: () => Promise<void>
}

/** The three changes: what a page asks for, and what the tabs tell each other. */
export type LoginChange = TabMessage['type']

/**
 * Does a change the page asked for (at the CMS, the session route, the token session) and
 * resolves to the state after it, or to nothing when the kind told of the change itself through
 * `changed` (the token session's events, which also come from refreshes inside ordinary calls).
 */
export type LoginSend = (action: LoginChange, credentials?: Record<string, unknown>) => Promise<CmsAuthState | undefined>

export interface LoginOptions {
  /** Where the `cms-auth` middleware sends visitors who are not logged in. */
  loginRoute: string
  /** The BroadcastChannel the tabs of one browser share. @default `cms-auth:<api>` */
  channel?: string
  /** Another tab's change, as this tab takes it. @default its state as is */
  adopt?: (message: TabMessage) => void
  /** Runs whenever the page reads the state (a state not asked yet is asked then: remote-login.ts). */
  onRead?: () => void
}

/** One API's login on one Nuxt app instance, as the registry holds it for `useCmsAuth` and the middleware. */
export interface Login {
  loginRoute: string
  state: Ref<CmsAuthState>
  public: CmsAuth
  /** A change made here (an action, a refresh inside a call, the CMS ending the session): state, tabs, hook. */
  changed: (type: LoginChange, next: CmsAuthState, reason?: 'user' | 'rejected') => void
  /** `cms-auth:error`, once per failure (a refresh's error reaches both the events and the caller). */
  failed: (error: unknown) => void
  /** Logins whose state is asked of its holder (remote-login.ts): ask now; resolve once known; the holder ended it. */
  load?: () => Promise<void>
  ready?: () => Promise<void>
  ended?: () => void
  /** SSR cannot tell who is logged in (a cookie the server never sees): the middleware leaves it to the browser. */
  serverBlind?: boolean
}

/**
 * The one login state machine, for every kind of login: the state `useCmsAuth(name)` shows, the
 * `cms-auth:*` hooks, the other tabs of this browser, and a page behind the `cms-auth` middleware
 * that must be left when the session ends. It lives on one Nuxt app instance (one SSR request,
 * or one tab); the kinds (dynamic/, cookie/, session/) only say how an action is done.
 */
export function createLogin(nuxtApp: NuxtApp, name: string, options: LoginOptions, send: LoginSend): Login {
  // In the payload's state, as useState keeps its values (so SSR's answer reaches the page), under
  // a key no useState call has, without useState's checks and defaults (0.4 KB of the bundle).
  const { state: states } = nuxtApp.payload
  states[`cms-auth:${name}`] ||= loggedOutState
  const state: Ref<CmsAuthState> = toRef(states, `cms-auth:${name}`)
  // The module's own source does not see the app's generated hook types (types/cms-auth-dynamic.d.ts).
  const hook = (type: keyof CmsAuthRuntimeHooks, context: object) => (nuxtApp.callHook as (type: string, context: object) => Promise<void>)(type, { api: name, ...context })

  let reported: unknown
  const failed = (error: unknown) => {
    if (error !== reported)
      void hook('cms-auth:error', { error: reported = error })
  }

  const leaveProtectedPage = () => {
    const route = nuxtApp.$router?.currentRoute.value
    // unknown[]: in an app whose middleware names are typed, 'cms-auth' is one only when registered.
    const to = import.meta.client && route && ([route.meta.middleware].flat() as unknown[]).includes('cms-auth') && loginRedirect(route, options.loginRoute)
    if (to)
      void nuxtApp.runWithContext(() => navigateTo(to))
  }

  const post = connectTabs(options.channel ?? `cms-auth:${name}`, (message) => {
    if (options.adopt)
      options.adopt(message)
    else
      state.value = message.state
    void hook(`cms-auth:${message.type}`, { fromOtherTab: true })
    if (message.type === 'logout')
      leaveProtectedPage()
  })

  function changed(type: LoginChange, next: CmsAuthState, reason?: 'user' | 'rejected') {
    state.value = next
    post({ type, state: next })
    void hook(`cms-auth:${type}`, reason ? { reason } : {})
    if (reason === 'rejected')
      leaveProtectedPage()
  }

  async function act(type: LoginChange, credentials?: Record<string, unknown>) {
    let next: CmsAuthState | undefined
    try {
      next = await send(type, credentials)
    }
    catch (error) {
      failed(error)
      throw error
    }
    if (next)
      changed(type, next)
  }

  const read = <T>(pick: (current: CmsAuthState) => T) => computed(() => {
    options.onRead?.()
    return pick(state.value)
  })

  return {
    loginRoute: options.loginRoute,
    state,
    changed,
    failed,
    public: {
      status: read(current => current.status),
      loggedIn: read(current => current.status === 'logged-in'),
      user: read(current => current.user),
      expiresAt: read(current => current.expiresAt),
      login: credentials => act('login', credentials),
      logout: () => act('logout'),
      refresh: () => act('refresh'),
    },
  }
}
