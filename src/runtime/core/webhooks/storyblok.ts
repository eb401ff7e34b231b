import { bodySignatureVerifier } from './body-signature'

/** Storyblok: `webhook-signature` is the hex HMAC-SHA1 of the raw body. It carries no timestamp. */
export const verifyStoryblok = bodySignatureVerifier('webhook-signature', 'webhook-signature', 'SHA-1')
