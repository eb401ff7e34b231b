import type { HmacAlgorithm } from './signature'
import { hmac, toHex } from './signature'
import { secretsMatch } from '../preview/preview-link'
import type { WebhookVerifier } from './verdict'
import { accepted, refused } from './verdict'

/** The schemes that sign the raw body alone into one header as hex (no timestamp, so no replay window). */
export function bodySignatureVerifier(header: string, headerName: string, algorithm: HmacAlgorithm): WebhookVerifier {
  return async (request, { secret }) => {
    const signature = request.header(header)
    if (!signature)
      return refused(401, `no ${headerName} header`)
    const expected = toHex(await hmac(algorithm, secret, request.body))
    return await secretsMatch(signature.trim().toLowerCase(), expected) ? accepted : refused(401, 'the signature does not match')
  }
}
