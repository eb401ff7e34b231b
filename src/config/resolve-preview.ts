import { presets } from '../runtime/core/presets'
import type { CredentialPlacement, PresetName, PresetSetup } from '../runtime/core/presets'
import { DEFAULT_PREVIEW_MAX_AGE } from '../runtime/core/preview/preview-cookie-data'
import { HTTP_TOKEN, isPlainObject, knownOptions, resolveHeaderRecord, resolvePositiveInteger } from '../runtime/core/validate'
import type { CmsAuthMode, CmsPreviewOptions } from '../runtime/types'
import { runtimeEnvName } from './env-names'
import { configError } from './errors'
import { resolveProxy } from './resolve-proxy'
import type { ResolvedProxy } from './resolve-proxy'

/** `cmsAuth.apis.<name>.preview` after validation. */
export interface ResolvedPreview {
  /**
   * The proxy route of a direct API, registered for preview requests only (it refuses the others,
   * so it never becomes a second, open way to the CMS); unset for a proxy API, whose own route serves them.
   */
  route?: ResolvedProxy
  query: Record<string, string>
  headers: Record<string, string>
  /** `preview.baseURL`, or '' (the preset derives it, or the API's own `baseURL`). */
  baseURL: string
  /** Seconds a preview lasts. */
  maxAge: number
}

interface PreviewContext {
  name: string
  preset: PresetName
  auth: CmsAuthMode
  setup: PresetSetup
  /** The API's own proxy, or `false` for a direct API. */
  proxy: ResolvedProxy | false
  proxyPrefix: string
  credential: CredentialPlacement
  baseURL: string
}

const PREVIEW_KEYS: ReadonlyArray<keyof CmsPreviewOptions> = ['query', 'headers', 'baseURL', 'maxAge']
const SECRET_KEYS = ['token', 'secret']

/** Validates `preview`; `undefined` when the API has none. */
export function resolvePreview(key: string, preview: unknown, context: PreviewContext): ResolvedPreview | undefined {
  if (preview === undefined || preview === false)
    return undefined
  const at = `${key}.preview`
  if (preview !== true && !isPlainObject(preview))
    throw configError(`${at} must be true or an options object ({ query, headers, baseURL, maxAge }).`)
  const secret = isPlainObject(preview) && SECRET_KEYS.find(option => option in preview)
  if (secret)
    throw configError(`${at}.${secret} does not belong in nuxt.config, which the build may copy anywhere: set ${runtimeEnvName('private', context.name, `preview_${secret}`)} on the server (runtimeConfig.cmsAuth.apis.${context.name}.preview.${secret}).`)
  const options = knownOptions(at, preview === true ? {} : preview, PREVIEW_KEYS) as CmsPreviewOptions
  const protocol = presets[context.preset].preview
  if (!protocol) {
    const offering = Object.values(presets).filter(preset => preset.preview).map(preset => preset.name).join(', ')
    throw configError(`${at}: the ${context.preset} preset has no preview protocol this module knows (presets with one: ${offering}). Use preset: 'generic' with preview: { query, headers } if your CMS serves drafts to a second token.`)
  }
  if (context.setup.noPreview)
    throw configError(`${at} does not apply: ${context.setup.noPreview}.`)
  // A login API's credential is each user's own: preview would swap it for the editor's token.
  if (context.auth === 'dynamic' || context.auth === 'cookie')
    throw configError(`${at} is not available with auth '${context.auth}': preview replaces the request's credential with the preview token, and this API's requests carry each visitor's own login. Add a second API entry for the same CMS with auth: 'static' (or 'none') and preview.`)
  const baseURL = resolvePreviewBaseURL(`${at}.baseURL`, options.baseURL)
  if (!baseURL && protocol.baseURL && /^https?:\/\//.test(context.baseURL) && !protocol.baseURL(context.baseURL))
    throw configError(`${at}.baseURL is needed: the drafts' host cannot be told from ${key}.baseURL ${JSON.stringify(context.baseURL)} (set preview.baseURL, or ${runtimeEnvName('private', context.name, 'preview_baseURL')} at runtime).`)
  return {
    ...(context.proxy ? {} : { route: resolveProxy(key, context.name, true, context.proxyPrefix, context.credential.header) as ResolvedProxy }),
    query: resolveQuery(`${at}.query`, options.query),
    headers: resolveHeaderRecord(`${at}.headers`, options.headers),
    baseURL,
    maxAge: resolvePositiveInteger(`${at}.maxAge`, options.maxAge, DEFAULT_PREVIEW_MAX_AGE, 'seconds'),
  }
}

function resolvePreviewBaseURL(key: string, baseURL: unknown): string {
  if (baseURL === undefined || baseURL === '')
    return ''
  if (typeof baseURL !== 'string' || !(/^https?:\/\/[^/]/.test(baseURL) || /^\/(?!\/)/.test(baseURL)))
    throw configError(`${key} must be an absolute http(s) URL or a path of this app starting with "/"; got ${JSON.stringify(baseURL)}.`)
  return baseURL.replace(/\/+$/, '')
}

function resolveQuery(key: string, query: unknown): Record<string, string> {
  if (query === undefined)
    return {}
  if (!isPlainObject(query) || Object.entries(query).some(([name, value]) => !HTTP_TOKEN.test(name) || typeof value !== 'string'))
    throw configError(`${key} must be an object of parameter names to string values, e.g. { stage: 'DRAFT' }.`)
  return query as Record<string, string>
}
