import { hmac, toHex } from './signature'
import { secretsMatch } from '../preview/preview-link'
import type { WebhookVerifier } from './verdict'
import { accepted, refused, withinReplayWindow } from './verdict'

const SIGNATURE = 'x-contentful-signature'
const SIGNED_HEADERS = 'x-contentful-signed-headers'
const TIMESTAMP = 'x-contentful-timestamp'

/**
 * Contentful request verification (as `verifyRequest` in @contentful/node-apps-toolkit does it):
 * the hex HMAC-SHA256 of `method \n path \n signed headers \n body`, the signed headers being
 * those `x-contentful-signed-headers` names, plus the timestamp and that list itself, sorted by
 * name and written `name:value` joined by `;`. `x-contentful-timestamp` (epoch ms) must be
 * within the replay window.
 */
export const verifyContentful: WebhookVerifier = async (request, options) => {
  const signature = request.header(SIGNATURE)
  const timestampHeader = request.header(TIMESTAMP)
  if (!signature || !timestampHeader || request.header(SIGNED_HEADERS) === undefined)
    return refused(401, `no ${SIGNATURE}, ${SIGNED_HEADERS} and ${TIMESTAMP} headers`)
  const timestamp = Number(timestampHeader.trim())
  if (!/^\d+$/.test(timestampHeader.trim()))
    return refused(400, `${TIMESTAMP} is not a timestamp`)
  if (!withinReplayWindow(timestamp, options))
    return refused(401, `${TIMESTAMP} is outside the replay window of ${options.tolerance} s`)
  const headers = new Map<string, string>()
  for (const name of request.header(SIGNED_HEADERS)!.split(',').map(item => item.trim().toLowerCase()).filter(Boolean)) {
    const value = request.header(name)
    if (value !== undefined)
      headers.set(name, value.trim())
  }
  headers.set(TIMESTAMP, String(timestamp))
  const names = [...headers.keys()]
  if (!names.includes(SIGNED_HEADERS))
    names.push(SIGNED_HEADERS)
  names.sort()
  headers.set(SIGNED_HEADERS, names.join(','))
  const canonical = [
    request.method.toUpperCase(),
    canonicalPath(request.path),
    names.map(name => `${name}:${headers.get(name)}`).join(';'),
    new TextDecoder().decode(request.body),
  ].join('\n')
  const expected = toHex(await hmac('SHA-256', options.secret, canonical))
  return await secretsMatch(signature.trim().toLowerCase(), expected) ? accepted : refused(401, 'the signature does not match')
}

/** The toolkit's path normalisation: the query escaped as one component, then the whole URI-encoded. */
function canonicalPath(target: string): string {
  const [pathname = '', search] = target.split('?')
  return encodeURI(search ? `${pathname}?${encodeURIComponent(search)}` : pathname)
}
