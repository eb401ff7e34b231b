import type { PresetName } from '../presets/define'
import { verifyContentful } from './contentful'
import { verifyHygraph } from './hygraph'
import { verifyMicrocms } from './microcms'
import { verifySharedSecret } from './shared-secret'
import { verifyStoryblok } from './storyblok'
import type { VerifyOptions, WebhookRequest, WebhookVerdict, WebhookVerifier } from './verdict'
import { refused } from './verdict'

export type { VerifyOptions, WebhookRequest, WebhookVerdict, WebhookVerifier } from './verdict'

/** One verifier per signature scheme: the folder is the catalogue. */
export const webhookVerifiers = {
  'microcms': verifyMicrocms,
  'contentful': verifyContentful,
  'storyblok': verifyStoryblok,
  'hygraph': verifyHygraph,
  'shared-secret': verifySharedSecret,
} satisfies Record<string, WebhookVerifier>

export type WebhookScheme = keyof typeof webhookVerifiers
export const webhookSchemes = Object.keys(webhookVerifiers) as WebhookScheme[]

/** Verifies `request` by `scheme`; without a secret nothing is ever accepted (an empty key would sign for anyone). */
export async function verifyWebhook(scheme: WebhookScheme, request: WebhookRequest, options: VerifyOptions): Promise<WebhookVerdict> {
  if (!options.secret)
    return refused(401, 'no secret is configured')
  return webhookVerifiers[scheme](request, options)
}

/** The scheme a preset's CMS signs with; CMSs that do not sign get the shared-secret header. */
export function defaultWebhookScheme(preset: PresetName): WebhookScheme {
  return preset === 'microcms' || preset === 'contentful' || preset === 'storyblok' ? preset : 'shared-secret'
}

/** The shared-secret scheme's header when the config names none. */
export const DEFAULT_WEBHOOK_HEADER = 'x-webhook-secret'
