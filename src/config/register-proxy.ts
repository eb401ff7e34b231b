import { addServerHandler, addServerImports, addServerPlugin, addServerTemplate, useLogger } from '@nuxt/kit'
import { presets } from '../runtime/core/presets'
import { runtimeCheckKeys } from '../runtime/core/proxy/proxy-checks'
import type { RuntimeCheckName } from '../runtime/core/proxy/proxy-checks'
import { runtimeEnvName } from './env-names'
import { configError } from './errors'
import type { Register } from './options'
import type { ResolvedApi } from './resolve-apis'
import type { BuiltPreviewOptions } from '../runtime/server/built-options'

// Nitro presets that write files only: nothing runs on a server to hold a secret.
const SERVERLESS_PRESETS = /(?:^|[-_])static$|^github[-_]pages$/

/**
 * Proxy routes (one per proxy API, nothing when none is configured), the static part of their
 * options as a server template, and `useCmsServerApi` for the app's own server routes.
 */
export const registerProxy: Register = (options, { nuxt, resolve }) => {
  const { apis } = options
  addServerImports([{ name: 'useCmsServerApi', from: resolve('./runtime/server/utils/useCmsServerApi') }])
  // A direct API with preview gets a route too, for preview requests only.
  const proxied = apis.filter(api => api.proxy || api.preview)
  addServerTemplate({
    filename: '#cms-auth-proxy-options',
    getContents: () => `export default ${JSON.stringify(proxyOptions(proxied, options.storage), null, 2)}`,
  })
  if (!proxied.length)
    return

  addServerPlugin(resolve('./runtime/server/proxy/proxy-plugin'))
  for (const api of proxied) {
    const route = proxyOf(api).route
    addServerHandler({ route, handler: resolve('./runtime/server/proxy/proxy-handler') })
    addServerHandler({ route: `${route}/**`, handler: resolve('./runtime/server/proxy/proxy-handler') })
  }

  nuxt.hook('nitro:config', (nitro) => {
    const preset = String((nitro as { preset?: string }).preset ?? process.env.NITRO_PRESET ?? '')
    if (nitro.static || (nuxt.options as { _generate?: boolean })._generate || SERVERLESS_PRESETS.test(preset)) {
      const names = proxied.map(api => `cmsAuth.apis.${api.name}`).join(', ')
      // Preview on a direct API: the route that checks the editor's link and holds the preview token.
      if (!proxied.some(api => api.proxy))
        throw configError(`${names} ${proxied.length === 1 ? 'has' : 'have'} preview, but this build has no server (nuxt generate / a static preset): preview is a route on the app's server that checks the editor's link and holds the preview token. Deploy with a server (nuxt build), or remove preview.`)
      throw configError(`${names} ${proxied.length === 1 ? 'uses' : 'use'} proxy mode, but this build has no server (nuxt generate / a static preset): the proxy is a route on the app's server that holds the secret, and a static site sends every value it has to the browser. Deploy with a server (nuxt build), or use proxy: false with a read-only key.`)
    }
    for (const warning of addressWarnings(proxied.filter(api => api.proxy), preset))
      useLogger('nuxt-cms-auth').warn(warning)
  })
  // The transport's Node path (transport.ts), or a stub where the preset has no Node runtime.
  nuxt.hook('nitro:init', (nitro) => {
    nitro.options.alias['#cms-auth-node-forward'] = resolve(nitro.options.node ? './runtime/server/proxy/forward-node' : './runtime/server/proxy/forward-node-unavailable')
    for (const warning of storageWarnings(proxied.filter(api => api.proxy), nitro.options.preset ?? '', options.storage, Boolean(nitro.options.storage?.[options.storage])))
      useLogger('nuxt-cms-auth').warn(warning)
  })
}

// Hosts that run the app as several instances (isolates, functions, worker processes) at once.
const MULTI_INSTANCE_PRESETS = /^(?:node-cluster|netlify|vercel|cloudflare|aws|azure|deno-deploy|winterjs|firebase)/

/**
 * A warning when a host that runs several instances keeps rate-limit counters, refresh locks and
 * session records in memory (the default): each instance would count, lock and remember on its
 * own. A mount made at runtime (a Nitro plugin) is not visible here, so the warning says so.
 */
export function storageWarnings(apis: ResolvedApi[], preset: string, mount: string, mounted: boolean): string[] {
  if (mounted || !MULTI_INSTANCE_PRESETS.test(preset))
    return []
  const uses = apis.flatMap(api => [
    ...((api.proxy as Exclude<ResolvedApi['proxy'], false>).rateLimit ? [`cmsAuth.apis.${api.name}.proxy.rateLimit`] : []),
    ...((api.proxy as Exclude<ResolvedApi['proxy'], false>).cache ? [`cmsAuth.apis.${api.name}.proxy.cache`] : []),
    ...(api.mode === 'proxy-session' || api.mode === 'proxy-cookie' ? [`cmsAuth.apis.${api.name} (a server-held session)`] : []),
  ])
  if (!uses.length)
    return []
  return [`${uses.join(', ')} keep${uses.length === 1 ? 's' : ''} state in the Nitro storage mount '${mount}', which is in memory: the ${preset} preset runs several instances, so each would count requests, take refresh locks, hold sessions and cache answers on its own (a limit per instance, a session that ends on another, a webhook that purges one instance's cache only). `
    + `Mount a shared driver, e.g. nitro: { storage: { '${mount}': { driver: 'redis', url: … } } } (Redis is exact; see docs/deployment/index.md), or ignore this if a Nitro plugin mounts one at runtime.`]
}

/**
 * Hosts whose Nitro preset hands requests in without a socket: the visitor's address is known only
 * from a header the host sets, which the user must name (`proxy.clientAddressHeader`).
 */
const SOCKETLESS_PRESETS = /^(?:bun|deno|netlify|vercel|cloudflare|aws|azure|winterjs|firebase-app-hosting)/

/** A warning per API whose allow-list or rate limit needs an address the preset does not give. */
export function addressWarnings(apis: ResolvedApi[], preset: string): string[] {
  if (!SOCKETLESS_PRESETS.test(preset))
    return []
  return apis.flatMap((api) => {
    const proxy = api.proxy as Exclude<ResolvedApi['proxy'], false>
    const checks = [proxy.allowedIPs.length ? 'allowedIPs' : '', proxy.rateLimit ? 'rateLimit' : ''].filter(Boolean)
    if (!checks.length || proxy.clientAddressHeader)
      return []
    return [`cmsAuth.apis.${api.name}.proxy.${checks.join(' and ')} needs the visitor's address, which the ${preset} preset does not give the server: `
      + `its requests will be refused (500) until you set cmsAuth.apis.${api.name}.proxy.clientAddressHeader (or ${runtimeEnvName('private', api.name, 'proxy_clientAddressHeader')} at runtime) to the header your host sets (cf-connecting-ip, x-nf-client-connection-ip, x-real-ip…).`]
  })
}

/** The route an API's requests go through: its proxy, or (a direct API with preview) the preview-only one. */
const proxyOf = (api: ResolvedApi): Exclude<ResolvedApi['proxy'], false> => api.proxy || api.preview!.route!

function proxyOptions(apis: ResolvedApi[], storage: string) {
  const entries = apis.map((api) => {
    // The checks a deployment may override live in runtimeConfig (runtime-config.ts), not here.
    const { route, sessionRoute: _sessionRoute, methods: _m, rules: _r, allowedIPs: _a, trustedProxies: _t, rateLimit: _l, clientAddressHeader: _c, responseHeaders, ...checks } = proxyOf(api)
    const checkEnv = Object.fromEntries((Object.keys(runtimeCheckKeys) as RuntimeCheckName[]).map(name => [name, runtimeEnvName('private', api.name, `proxy_${runtimeCheckKeys[name]}`)]))
    const tokenSession = api.mode === 'proxy-session' && api.dynamic && { preset: api.preset, endpoints: api.dynamic.endpoints, fields: api.dynamic.fields, cookie: api.dynamic.cookie, refreshMargin: api.dynamic.refreshMargin, fetchUser: api.dynamic.fetchUser, lifetime: api.dynamic.lifetime, userFields: api.dynamic.userFields, forwardClientAddress: api.dynamic.forwardClientAddress }
    // The CMS's cookies are scoped to the proxy prefix (every API's route and the session routes).
    const cookieSession = api.mode === 'proxy-cookie' && api.cookieEndpoints && { preset: api.preset, endpoints: api.cookieEndpoints, path: (api.proxy as { route: string }).route.slice(0, -(api.name.length + 1)), userFields: api.cookie?.userFields, forwardClientAddress: api.cookie?.forwardClientAddress }
    const preview = api.preview && previewOptions(api)
    // Strapi gives drafts to any reader that asks: outside preview, every proxied read is pinned to
    // the published content, whether or not the API has preview (a preview-only route serves previews only).
    const published = !preview?.only && presets[api.preset].preview?.published
    // A preview-only route adds no credential of its own: it sends only the preview token.
    return [api.name, { mode: api.mode, auth: preview?.only ? 'none' : api.auth, credential: api.credential, headers: api.headers, route, ...checks, responseHeaders: [...presets[api.preset].responseHeaders ?? [], ...responseHeaders], checkEnv, tokenEnv: runtimeEnvName('private', api.name, 'token'), ...(tokenSession ? { tokenSession } : {}), ...(cookieSession ? { cookieSession } : {}), ...(api.loginKey ? { loginKey: api.loginKey } : {}), ...(api.serverCredential ? { serverCredential: api.preset } : {}), ...(preview ? { preview } : {}), ...(published ? { publishedQuery: published } : {}) }]
  })
  return { storage, apis: Object.fromEntries(entries) }
}

function previewOptions({ name, preset, proxy, preview }: ResolvedApi): BuiltPreviewOptions {
  const env = (key: string) => runtimeEnvName('private', name, `preview_${key}`)
  return { preset, only: !proxy, query: preview!.query, headers: preview!.headers, maxAge: preview!.maxAge, env: { token: env('token'), secret: env('secret'), baseURL: env('baseURL') } }
}
