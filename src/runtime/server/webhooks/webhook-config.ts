// @ts-ignore: a Nitro virtual module that register-webhooks.ts generates at build time
import builtWebhooks from '#cms-auth-webhook-options'
import { useRuntimeConfig } from 'nitropack/runtime'
import type { WebhookScheme } from '../../core/webhooks'

/** The shape of `#cms-auth-webhook-options`: each API's webhook as register-webhooks.ts bakes it in. */
export interface BuiltWebhook {
  scheme: WebhookScheme
  header: string
  maxBodySize: number
  tolerance: number
  /** `NUXT_CMS_AUTH_APIS_<NAME>_WEBHOOK_SECRET`, named when it is missing. */
  secretEnv: string
  /** The API has a response cache to purge (a proxy API with `proxy.cache` or a rule's `cache`). */
  cached: boolean
}

/** One API's webhook, ready for the route: the secret read once per server start. */
export interface WebhookApi extends BuiltWebhook {
  name: string
  /** Empty when the deployment did not set it: the route then refuses everything with 500. */
  secret: string
}

const built = (builtWebhooks as { apis: Record<string, BuiltWebhook> }).apis
const resolved = new Map<string, WebhookApi>()

/** The webhook of API `name`, with its secret from private runtimeConfig (read once; env overrides applied at start). */
export function useWebhookApi(name: string): WebhookApi | undefined {
  let api = resolved.get(name)
  if (!api && built[name]) {
    const secrets = (useRuntimeConfig().cmsAuth as { apis?: Record<string, { webhookSecret?: unknown }> } | undefined)?.apis?.[name]
    api = { ...built[name], name, secret: typeof secrets?.webhookSecret === 'string' ? secrets.webhookSecret : '' }
    resolved.set(name, api)
  }
  return api
}
