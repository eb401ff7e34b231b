import type { NuxtApp } from '#app'
import { useNuxtApp } from '#imports'
import type { $Fetch } from 'ofetch'
import type { PublicApiConfig } from '../types'
import { configHints } from '../core/features'
import type { Login } from './login/login-state'

/** What one Nuxt app instance (one SSR request, or one tab) holds for the module. */
export interface CmsRegistry {
  /**
   * Each API's client. A login mode's plugin registers its APIs' clients at start (they carry the
   * login: `dynamic/plugin.ts`, `cookie/plugin.ts`, `session/plugin.ts`); `useCmsApi` builds the
   * others on first use.
   */
  clients: Record<string, $Fetch>
  /** Each login API's state and actions (`useCmsAuth`, the `cms-auth` middleware), by the same plugins. */
  logins: Record<string, Login>
  /** The browser-safe config of every API under `app.baseURL` (public-apis.ts). */
  apis?: Record<string, PublicApiConfig>
}

// Keyed by the Nuxt app, which is new for every SSR request: an entry is reachable only from its
// own render and goes with it, so two users' renders never share a client or a login.
const registries = /* @__PURE__ */ new WeakMap<NuxtApp, CmsRegistry>()

/** The registry of `nuxtApp` (the current one by default). */
export function useCmsRegistry(nuxtApp: NuxtApp = useNuxtApp()): CmsRegistry {
  let registry = registries.get(nuxtApp)
  if (!registry)
    registries.set(nuxtApp, registry = { clients: {}, logins: {} })
  return registry
}

/**
 * The login of API `name`, or of the first API in `cmsAuth.apis` that has one. `who` names the
 * caller in the error when there is none, so the message says who asked for which API.
 */
export function requireLogin(who: string, name?: string, nuxtApp: NuxtApp = useNuxtApp()): Login {
  const { logins } = useCmsRegistry(nuxtApp)
  name ??= Object.keys(nuxtApp.$config.public.cmsAuth.apis).find(api => logins[api])
  const login = name && logins[name]
  if (!login)
    throw new Error(`[nuxt-cms-auth] ${who} needs cmsAuth.apis.${name} with ${configHints ? 'auth: \'dynamic\' or \'cookie\'' : 'a login'}`)
  return login
}
