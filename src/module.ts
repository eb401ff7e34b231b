import { createResolver, defineNuxtModule, useLogger } from '@nuxt/kit'
import { resolveOptions } from './config/options'
import { registerPageCacheGuard } from './config/page-cache-guard'
import { registerComposables } from './config/register-composables'
import { registerCookie } from './config/register-cookie'
import { registerDynamic } from './config/register-dynamic'
import { registerFeatures } from './config/register-features'
import { registerPreview } from './config/register-preview'
import { registerProxy } from './config/register-proxy'
import { registerSession } from './config/register-session'
import { registerUnctxExternal } from './config/register-unctx-external'
import { registerWebhooks } from './config/register-webhooks'
import { registerRuntimeConfig } from './config/runtime-config'
import { registerTypes } from './config/type-template'
import { registerDevtools } from './devtools/register-devtools'
import type { ModuleOptions } from './runtime/types'

export type { CmsApiOptions, CmsAuthMode, CmsCookieOptions, CmsPreviewOptions, CmsProxyOptions, ModuleOptions, PresetName } from './runtime/types'

export default defineNuxtModule<ModuleOptions>({
  meta: {
    name: 'nuxt-cms-auth',
    configKey: 'cmsAuth',
    compatibility: { nuxt: '^3.15.0 || ^4.0.0' },
  },
  defaults: { apis: {} },
  setup(moduleOptions, nuxt) {
    const context = { nuxt, resolve: createResolver(import.meta.url).resolve, logger: useLogger('nuxt-cms-auth') }

    // 1. Options → one validated config; every mistake is an error naming its key and the fix.
    const options = resolveOptions(moduleOptions, context)

    // 2. The public/private runtimeConfig split, decided in one place; user-set values win.
    registerRuntimeConfig(options, context)

    // 3. App side: useCmsApi, useCmsFetch; each login kind only when an API uses it.
    registerComposables(options, context)
    registerDynamic(options, context) // direct-dynamic: login/refresh plugin, useCmsAuth, middleware, hooks
    registerCookie(options, context) // direct-cookie: credentials: 'include', SSR forwards the CMS's cookies
    registerFeatures(options, context) // the browser build leaves out what no API uses (core/features.ts)

    // 4. Server side: a proxy route per proxy API (secrets stay there), useCmsServerApi.
    registerProxy(options, context)
    registerSession(options, context) // proxy-session and proxy-cookie: session routes, sealed cookie, SSR bridge
    registerPreview(options, context) // preview: enter/leave route, no-store preview pages, useCmsPreview, <CmsPreviewBanner>
    registerWebhooks(options, context) // verified CMS webhooks: purge the proxy cache, call cms-auth:webhook
    registerPageCacheGuard(options, context) // a warning when route rules cache pages that render a member's data

    // 5. Dev only: the Nuxt DevTools tab (redacted API list, token state, proxied requests).
    registerDevtools(options, context)

    // 6. Types (API names checked in composables), and server builds on Vite 8.4 (unctx resolution).
    registerTypes(options, context)
    registerUnctxExternal(options, context)
  },
})
