import { secretsMatch } from '../preview/preview-link'
import type { WebhookVerifier } from './verdict'
import { accepted, refused } from './verdict'

/**
 * CMSs that do not sign (Directus flows, Strapi, Kuroco): the webhook is configured to send the
 * secret in a header of your choosing, compared in constant time. TLS is what protects it.
 */
export const verifySharedSecret: WebhookVerifier = async (request, { secret, header }) => {
  const received = request.header(header)
  if (!received)
    return refused(401, `no ${header} header`)
  return await secretsMatch(received, secret) ? accepted : refused(401, `the ${header} header does not match`)
}
