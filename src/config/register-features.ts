import { addVitePlugin } from '@nuxt/kit'
import type * as features from '../runtime/core/features'
import { genericProtocol } from '../runtime/core/presets/generic'
import type { DynamicProtocol } from '../runtime/core/presets/define'
import { presets } from '../runtime/core/presets'
import type { Register } from './options'
import type { ResolvedApi } from './resolve-apis'

export type BrowserFeatures = Record<keyof typeof features, boolean>

/** The protocol a direct dynamic API runs in the browser (as `#build/cms-auth-dynamic.mjs` picks it). */
const protocolOf = (api: ResolvedApi): DynamicProtocol => api.dynamic!.fields || api.preset === 'generic' ? genericProtocol(api.dynamic!.fields) : presets[api.preset].dynamic!

/** Which of `core/features.ts` the browser needs for these APIs (the proxy's and sessions' run on the server). */
export function browserFeatures(apis: ResolvedApi[], dev: boolean): BrowserFeatures {
  const direct = apis.filter(api => !api.proxy)
  const dynamic = direct.filter(api => api.mode === 'direct-dynamic')
  const protocols = dynamic.map(protocolOf)
  return {
    staticTokens: direct.some(api => api.auth === 'static'),
    queryCredentials: direct.some(api => (api.auth === 'static' || api.auth === 'dynamic') && api.credential.query),
    cookieCredentials: direct.some(api => api.auth === 'cookie'),
    sessionRoutes: apis.some(api => api.proxy && api.proxy.sessionRoute),
    previewRoutes: apis.some(api => api.preview),
    renewedTokens: protocols.some(protocol => protocol.renewedToken),
    selfRenewal: protocols.some(protocol => protocol.refreshWith === 'access-token'),
    refreshHandoff: false,
    loginKeys: dynamic.some(api => api.loginKey),
    configHints: dev,
  }
}

/**
 * The browser build loads `core/features.ts` as this app's answers, so the bundler drops the code
 * behind a `false` (a static-only app has no token renewal, a Kuroco login no Supabase key). SSR,
 * the server and the unit tests keep the file as written: everything on.
 */
export const registerFeatures: Register = ({ apis }, { nuxt, resolve }) => {
  const file = resolve('./runtime/core/features')
  const code = Object.entries(browserFeatures(apis, nuxt.options.dev)).map(([name, on]) => `export const ${name} = ${on}`).join('\n')
  addVitePlugin({
    name: 'cms-auth:features',
    enforce: 'pre',
    load: id => id.replace(/\?.*$/, '').replace(/\.[cm]?[jt]s$/, '') === file ? code : undefined,
  }, { server: false })
}
