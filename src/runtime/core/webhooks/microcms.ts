import { bodySignatureVerifier } from './body-signature'

/** microCMS: `X-MICROCMS-Signature` is the hex HMAC-SHA256 of the raw body. It carries no timestamp. */
export const verifyMicrocms = bodySignatureVerifier('x-microcms-signature', 'X-MICROCMS-Signature', 'SHA-256')
