import { useRuntimeConfig } from 'nitropack/runtime'
import { presets } from '../../core/presets'
import type { DynamicProtocol, PresetName } from '../../core/presets'
import { genericProtocol } from '../../core/presets/generic'
import type { GenericTokenFields } from '../../core/presets/generic'
import { sessionPasswordProblem } from '../../core/session-data'
import type { PublicDynamicConfig } from '../../dynamic-options'
import type { ProxyApi } from '../proxy-config'

/** The build-time part of a server-held session (register-proxy.ts puts it in the proxy options). */
export interface BuiltSessionOptions {
  preset: PresetName
  endpoints: PublicDynamicConfig['endpoints']
  fields?: GenericTokenFields
  cookie: PublicDynamicConfig['cookie']
  refreshMargin: number
  fetchUser: boolean
  /** Seconds a session lives when the CMS does not say (the preset's documented default). */
  lifetime?: number
  /** The user fields the session keeps (all but secret-like ones when undefined). */
  userFields?: string[]
  /** Send the CMS the visitor's address (`X-Forwarded-For`) on login and refresh. */
  forwardClientAddress?: boolean
}

/** A session API ready for use: the proxy target plus the login protocol the browser never sees. */
export interface SessionApi {
  proxy: ProxyApi
  protocol: DynamicProtocol
  options: BuiltSessionOptions
  password: string
}

const sessionApis = new Map<string, SessionApi>()

/**
 * The session side of proxy API `proxy`, resolved once. The password is read from the private
 * runtimeConfig (`NUXT_CMS_AUTH_SESSION_PASSWORD`); the server plugin has already refused to
 * start without a usable one, so a problem here means the plugin did not run.
 */
export function useSessionApi(proxy: ProxyApi): SessionApi | undefined {
  const options = proxy.session
  if (!options)
    return undefined
  let api = sessionApis.get(proxy.name)
  if (!api) {
    const password = sessionPassword()
    const problem = sessionPasswordProblem(password)
    if (problem)
      throw new Error(`[nuxt-cms-auth] ${problem}`)
    const protocol = options.fields ? genericProtocol(options.fields) : presets[options.preset].dynamic!
    api = { proxy, protocol, options, password: password as string }
    sessionApis.set(proxy.name, api)
  }
  return api
}

export function sessionPassword(): unknown {
  return (useRuntimeConfig().cmsAuth as { sessionPassword?: unknown } | undefined)?.sessionPassword
}
