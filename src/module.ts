import { addImports, addTypeTemplate, createResolver, defineNuxtModule, useLogger } from '@nuxt/kit'
import { defu } from 'defu'
import { misspelledKeyWarnings } from './config/config-key'
import { registerCookie } from './config/register-cookie'
import { registerDynamic } from './config/register-dynamic'
import { registerProxy } from './config/register-proxy'
import { registerSession } from './config/register-session'
import { registerUnctxExternal } from './config/register-unctx-external'
import { resolveApis } from './config/resolve-apis'
import { resolveProxyPrefix } from './config/resolve-proxy'
import { splitRuntimeConfig } from './config/runtime-config'
import { apiRegistryTypes } from './config/type-template'
import { registerDevtools } from './devtools/register-devtools'
import type { ModuleOptions } from './runtime/types'

export type { CmsApiOptions, CmsAuthMode, CmsCookieOptions, CmsProxyOptions, ModuleOptions, PresetName } from './runtime/types'

export default defineNuxtModule<ModuleOptions>({
  meta: {
    name: 'nuxt-cms-auth',
    configKey: 'cmsAuth',
    compatibility: { nuxt: '^3.15.0 || ^4.0.0' },
  },
  defaults: { apis: {} },
  setup(options, nuxt) {
    const { resolve } = createResolver(import.meta.url)
    const logger = useLogger('nuxt-cms-auth')

    // 1. Options → validated APIs (every mistake is a clear error naming its key; a `cmsauth:` typo, a warning).
    misspelledKeyWarnings(nuxt.options).forEach(message => logger.warn(message))
    const apis = resolveApis(options.apis, {
      production: !nuxt.options.dev && !nuxt.options._prepare,
      warn: message => logger.warn(message),
      proxyPrefix: resolveProxyPrefix(options.proxyPrefix),
    })

    // 2. The public/private split, decided in one place; user-set runtimeConfig wins.
    const runtimeConfig = splitRuntimeConfig(apis, { storageTimeout: options.storageTimeout })
    nuxt.options.runtimeConfig.public.cmsAuth = defu(nuxt.options.runtimeConfig.public.cmsAuth, runtimeConfig.public)
    nuxt.options.runtimeConfig.cmsAuth = defu(nuxt.options.runtimeConfig.cmsAuth, runtimeConfig.private)

    // 3. App side: composables, with a per-call-site key for useCmsFetch like useFetch has.
    nuxt.options.alias['#cms-auth'] = resolve('./runtime/types')
    const composables = resolve('./runtime/app/composables')
    addImports([
      { name: 'useCmsApi', from: `${composables}/useCmsApi` },
      { name: 'useCmsFetch', from: `${composables}/useCmsFetch` },
    ])
    nuxt.options.optimization.keyedComposables.push({ name: 'useCmsFetch', argumentLength: 4, source: `${composables}/useCmsFetch` })

    // 3b. Dynamic tokens: login/refresh plugin, useCmsAuth, cms-auth middleware, hooks (only when used).
    registerDynamic(apis, resolve)

    // 3c. Direct cookie mode: credentials: 'include', SSR forwards the CMS's cookies (only when used).
    registerCookie(apis, resolve)

    // 4. Server side: a proxy route per proxy API (secrets stay on the server), useCmsServerApi.
    registerProxy(apis, { storage: options.storage ?? 'cms-auth' }, nuxt, resolve)

    // 4b. Server-held sessions: session routes, sealed cookie, SSR bridge (only when used).
    registerSession(apis, nuxt, resolve, logger)

    // 4c. Dev only: the Nuxt DevTools tab (redacted API list, token state, proxied requests).
    registerDevtools(apis, nuxt, resolve)

    // 5. Types: API names are checked in composables.
    addTypeTemplate({ filename: 'types/cms-auth.d.ts', getContents: () => apiRegistryTypes(apis) })

    // 6. Builds on Vite 8.4: Nuxt's unctx helper import resolves as Nuxt's own `unctx` does.
    registerUnctxExternal()
  },
})
