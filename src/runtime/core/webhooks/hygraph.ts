import { hmac, toBase64 } from './signature'
import { secretsMatch } from '../preview/preview-link'
import type { WebhookVerifier } from './verdict'
import { accepted, refused, withinReplayWindow } from './verdict'

/**
 * Hygraph: `gcms-signature: sign=<base64>, env=<environment>, t=<epoch ms>`, where `sign` is
 * the base64 HMAC-SHA256 of the JSON `{"Body":<raw body as a string>,"EnvironmentName":env,"TimeStamp":t}`
 * (as @hygraph/utils builds it). `t` must be within the replay window.
 */
export const verifyHygraph: WebhookVerifier = async (request, options) => {
  const header = request.header('gcms-signature')
  if (!header)
    return refused(401, 'no gcms-signature header')
  const fields = new Map(header.split(',').map((part) => {
    const at = part.indexOf('=')
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const
  }))
  const sign = fields.get('sign')
  const environment = fields.get('env')
  const time = fields.get('t')
  if (!sign || environment === undefined || !time || !/^\d+$/.test(time))
    return refused(400, 'gcms-signature is not sign=…, env=…, t=…')
  if (!withinReplayWindow(Number(time), options))
    return refused(401, `gcms-signature t is outside the replay window of ${options.tolerance} s`)
  const payload = JSON.stringify({ Body: new TextDecoder().decode(request.body), EnvironmentName: environment, TimeStamp: Number(time) })
  const expected = toBase64(await hmac('SHA-256', options.secret, payload))
  return await secretsMatch(sign, expected) ? accepted : refused(401, 'the signature does not match')
}
