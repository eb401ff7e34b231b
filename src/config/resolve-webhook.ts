import { DEFAULT_WEBHOOK_HEADER, defaultWebhookScheme, webhookSchemes } from '../runtime/core/webhooks'
import type { WebhookScheme } from '../runtime/core/webhooks'
import type { PresetName } from '../runtime/core/presets'
import { HTTP_TOKEN, isPlainObject, knownOptions, resolvePositiveInteger } from '../runtime/core/validate'
import type { CmsWebhookOptions } from '../runtime/types'
import { runtimeEnvName } from './env-names'
import { configError } from './errors'

/** `cmsAuth.apis.<name>.webhook` after validation: baked into the server build (the secret is not). */
export interface ResolvedWebhook {
  /** `<proxyPrefix>/_webhook/<name>`. */
  route: string
  scheme: WebhookScheme
  /** `shared-secret`: the header holding the secret, lower-cased. */
  header: string
  maxBodySize: number
  /** Seconds: the replay window of the schemes that sign a timestamp. */
  tolerance: number
  /** `NUXT_CMS_AUTH_APIS_<NAME>_WEBHOOK_SECRET`, for the message when it is missing. */
  secretEnv: string
}

const WEBHOOK_KEYS: ReadonlyArray<keyof CmsWebhookOptions> = ['scheme', 'header', 'maxBodySize', 'tolerance']

/** Validates `webhook`; `undefined` when the API has none. */
export function resolveWebhook(key: string, name: string, preset: PresetName, webhook: unknown, proxyPrefix: string): ResolvedWebhook | undefined {
  if (webhook === undefined || webhook === false)
    return undefined
  const at = `${key}.webhook`
  if (webhook !== true && !isPlainObject(webhook))
    throw configError(`${at} must be true or { scheme, header, maxBodySize, tolerance }.`)
  const secretEnv = runtimeEnvName('private', name, 'webhookSecret')
  if (isPlainObject(webhook) && 'secret' in webhook)
    throw configError(`${at}.secret does not belong in nuxt.config, which the build may copy anywhere: set ${secretEnv} on the server (runtimeConfig.cmsAuth.apis.${name}.webhookSecret).`)
  const options = knownOptions(at, webhook === true ? {} : webhook, WEBHOOK_KEYS) as CmsWebhookOptions
  const scheme = options.scheme ?? defaultWebhookScheme(preset)
  if (!webhookSchemes.includes(scheme))
    throw configError(`${at}.scheme ${JSON.stringify(scheme)} is unknown; use one of ${webhookSchemes.join(', ')}.`)
  const header = options.header ?? DEFAULT_WEBHOOK_HEADER
  if (typeof header !== 'string' || !HTTP_TOKEN.test(header))
    throw configError(`${at}.header must be a header name, e.g. '${DEFAULT_WEBHOOK_HEADER}'; got ${JSON.stringify(header)}.`)
  if (options.header !== undefined && scheme !== 'shared-secret')
    throw configError(`${at}.header applies to scheme 'shared-secret' only; ${scheme} signs with its own headers. Remove it.`)
  return {
    // API names start with a letter, so `_webhook` can never be another API's route.
    route: `${proxyPrefix}/_webhook/${name}`,
    scheme,
    header: header.toLowerCase(),
    maxBodySize: resolvePositiveInteger(`${at}.maxBodySize`, options.maxBodySize, 1024 * 1024, 'bytes'),
    tolerance: resolvePositiveInteger(`${at}.tolerance`, options.tolerance, 300, 'seconds'),
    secretEnv,
  }
}
