import { useRuntimeConfig } from 'nitropack/runtime'
import { presets } from '../../core/presets'
import type { DynamicProtocol } from '../../core/presets'
import { genericProtocol } from '../../core/presets/generic'
import { sessionPasswordProblem } from '../../core/session/session-data'
import type { BuiltSessionOptions } from '../built-options'
import type { ProxyApi } from '../proxy/proxy-config'

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
  const options = proxy.tokenSession
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
