import { presets } from '../runtime/core/presets'
import type { CredentialPlacement, PresetSetup } from '../runtime/core/presets'
import { sessionDefaults } from '../runtime/core/presets/session-defaults'
import { SECRET_LIKE_FIELD } from '../runtime/core/session/session-user'
import type { CmsDynamicOptions, PublicDynamicConfig } from '../runtime/dynamic-options'
import type { CmsApiOptions, CmsAuthMode, CmsEndpoints, PresetName } from '../runtime/types'
import { HTTP_TOKEN, knownOptions } from '../runtime/core/validate'
import { configError } from './errors'

/** A dynamic API after validation: what the browser gets, plus build-time-only parts. */
export interface ResolvedDynamic extends PublicDynamicConfig {
  /** A custom storage module (`storage: '~/…'`, aliases allowed), imported by the plugin template. */
  storageModule?: string
  fields?: CmsDynamicOptions['fields']
  /** With proxy: the session's lifetime when the CMS does not say (the preset's default), seconds. */
  lifetime?: number
  /** With proxy: the user fields the session keeps. */
  userFields?: string[]
  /** With proxy: `X-Forwarded-For` of the visitor on login and refresh. */
  forwardClientAddress?: boolean
}

const KNOWN_KEYS: ReadonlyArray<keyof CmsDynamicOptions> = ['storage', 'cookie', 'refreshMargin', 'loginRoute', 'fetchUser', 'fields', 'userFields', 'forwardClientAddress']
const ENDPOINT_KEYS: ReadonlyArray<keyof CmsEndpoints> = ['login', 'token', 'refresh', 'logout', 'user']
// RFC 6265 cookie-name (an RFC 9110 token).

/**
 * The credential placement a preset uses by default for this auth mode (Cockpit classic, Payload
 * and Supabase place a login's token elsewhere than their key) and API (Storyblok's Management API).
 */
export function defaultCredential(preset: PresetName, auth: CmsAuthMode, setup: PresetSetup = {}): CredentialPlacement {
  return (auth === 'dynamic' && presets[preset].dynamic?.credential) || setup.credential || presets[preset].credential
}

/** Validates `cmsAuth.apis.<name>.dynamic` and merges `endpoints` over the preset's defaults. */
export function resolveDynamic(key: string, name: string, api: CmsApiOptions, presetEndpoints?: CmsEndpoints): ResolvedDynamic | undefined {
  const preset = api.preset ?? 'generic'
  if (api.auth !== 'dynamic') {
    if (api.dynamic !== undefined)
      throw configError(`${key}.dynamic is set but ${key}.auth is "${api.auth ?? 'none'}"; set auth: 'dynamic' or remove it.`)
    return undefined
  }
  const options = knownOptions(`${key}.dynamic`, api.dynamic ?? {}, KNOWN_KEYS) as CmsDynamicOptions
  if (options.fields !== undefined && preset !== 'generic')
    throw configError(`${key}.dynamic.fields only applies to preset 'generic'; ${preset} knows where its tokens are.`)

  // With proxy the server holds the tokens: the browser keeps only the sealed session cookie.
  if (api.proxy && options.storage !== undefined)
    throw configError(`${key}.dynamic.storage does not apply with proxy: the server keeps the tokens in a sealed httpOnly session cookie (docs/modes/server-session.md). Remove it.`)
  const storage = options.storage ?? 'cookie'
  if (typeof storage !== 'string' || !storage)
    throw configError(`${key}.dynamic.storage must be 'cookie', 'memory' or the path of a storage module.`)
  const refreshMargin = options.refreshMargin ?? 30
  if (typeof refreshMargin !== 'number' || !(refreshMargin >= 0))
    throw configError(`${key}.dynamic.refreshMargin must be a number of seconds ≥ 0.`)
  const loginRoute = resolveLoginRoute(`${key}.dynamic.loginRoute`, options.loginRoute)

  return {
    endpoints: resolveEndpoints(key, preset, api.endpoints, presetEndpoints),
    ...(storage === 'cookie' || storage === 'memory' ? { storage: storage as 'cookie' | 'memory' } : { storage: 'custom' as const, storageModule: storage }),
    cookie: resolveCookie(key, name, options.cookie),
    refreshMargin,
    loginRoute,
    fetchUser: options.fetchUser ?? true,
    ...(options.fields ? { fields: options.fields } : {}),
    ...serverSessionOptions(`${key}.dynamic`, preset, Boolean(api.proxy), options),
  }
}

/**
 * What only a session the server holds uses: the user fields it keeps, the visitor's address for
 * the CMS, and (dynamic) the preset's lifetime. In direct mode the browser talks to the CMS
 * itself, so these are refused there.
 */
export function serverSessionOptions(key: string, preset: PresetName, proxy: boolean, options: { userFields?: unknown, forwardClientAddress?: unknown }): { lifetime?: number, userFields?: string[], forwardClientAddress?: boolean } {
  for (const option of ['userFields', 'forwardClientAddress'] as const) {
    if (!proxy && options[option] !== undefined)
      throw configError(`${key}.${option} only applies with proxy: true (a session the server holds); in direct mode the browser talks to the CMS itself. Remove it, or add proxy: true.`)
  }
  if (!proxy)
    return {}
  const { forwardClientAddress = false } = options
  if (typeof forwardClientAddress !== 'boolean')
    throw configError(`${key}.forwardClientAddress must be true or false.`)
  const defaults = sessionDefaults[preset]
  const userFields = resolveUserFields(`${key}.userFields`, options.userFields) ?? defaults.userFields
  return { ...(defaults.lifetime ? { lifetime: defaults.lifetime } : {}), ...(userFields ? { userFields } : {}), ...(forwardClientAddress ? { forwardClientAddress } : {}) }
}

function resolveUserFields(key: string, fields: unknown): string[] | undefined {
  if (fields === undefined)
    return undefined
  if (!Array.isArray(fields) || !fields.every(field => typeof field === 'string' && field))
    throw configError(`${key} must be an array of the user's field names, e.g. ['id', 'email', 'first_name'].`)
  const secret = fields.find(field => SECRET_LIKE_FIELD.test(field))
  if (secret)
    throw configError(`${key} has "${secret}", which is named like a password, hash, token or secret: the page never gets such a field. Remove it.`)
  return [...new Set(fields as string[])]
}

/** Where the `cms-auth` middleware sends visitors who are not logged in (dynamic and cookie modes). */
export function resolveLoginRoute(key: string, loginRoute: unknown = '/login'): string {
  if (typeof loginRoute !== 'string' || !loginRoute.startsWith('/'))
    throw configError(`${key} must be a path of this app starting with "/".`)
  return loginRoute
}

function resolveEndpoints(key: string, preset: PresetName, endpoints: CmsEndpoints | undefined, presetEndpoints?: CmsEndpoints): PublicDynamicConfig['endpoints'] {
  for (const [endpoint, path] of Object.entries(endpoints ?? {})) {
    if (!ENDPOINT_KEYS.includes(endpoint as keyof CmsEndpoints))
      throw configError(`${key}.endpoints.${endpoint} is not an endpoint (endpoints: ${ENDPOINT_KEYS.join(', ')}).`)
    if (typeof path !== 'string' || !path.startsWith('/'))
      throw configError(`${key}.endpoints.${endpoint} must be a path under baseURL starting with "/"; got ${JSON.stringify(path)}.`)
  }
  return { ...presets[preset].dynamic!.endpoints, ...presetEndpoints, ...endpoints }
}

function resolveCookie(key: string, name: string, cookie: CmsDynamicOptions['cookie'] = {}): PublicDynamicConfig['cookie'] {
  const resolved = { name: `cms_auth_${name}`, path: '/', sameSite: 'lax' as const, ...cookie }
  if (!HTTP_TOKEN.test(resolved.name))
    throw configError(`${key}.dynamic.cookie.name ${JSON.stringify(resolved.name)} is not a valid cookie name.`)
  if (!['lax', 'strict', 'none'].includes(resolved.sameSite))
    throw configError(`${key}.dynamic.cookie.sameSite must be 'lax', 'strict' or 'none'.`)
  if (resolved.sameSite === 'none' && resolved.secure === false)
    throw configError(`${key}.dynamic.cookie: sameSite 'none' needs secure (browsers drop the cookie otherwise).`)
  if (resolved.maxAge !== undefined && !(typeof resolved.maxAge === 'number' && resolved.maxAge > 0))
    throw configError(`${key}.dynamic.cookie.maxAge must be a number of seconds > 0.`)
  return resolved
}
