import type { H3Event } from 'h3'
import { defineEventHandler, getRequestHeader, setResponseHeaders, setResponseStatus } from 'h3'
import { useNitroApp } from 'nitropack/runtime'
import { verifyWebhook } from '../../core/webhooks'
import { purgeCache } from '../cache/cache-purge'
import { endResponse, rawRequestTarget, readWholeBody } from '../proxy/h3-request'
import { sendProxyError } from '../proxy/proxy-error'
import { useWebhookApi } from './webhook-config'

/** What the `cms-auth:webhook` Nitro hook gets once a webhook is verified and the cache purged. */
export interface CmsWebhookContext {
  api: string
  event: H3Event
  /** The body as JSON, or its text when it is not JSON. */
  payload: unknown
  /** How many cached responses of the API were removed. */
  purged: number
}

// The app's server code sees the same declaration through the type template register-webhooks.ts adds.
declare module 'nitropack/types' {
  interface NitroRuntimeHooks {
    'cms-auth:webhook': (context: CmsWebhookContext) => void | Promise<void>
  }
}

/**
 * `<proxyPrefix>/_webhook/<name>`: 1. POST only; 2. the secret must be set on this deployment;
 * 3. the body within its limit (413); 4. the signature (401 missing or wrong, 400 malformed, 401
 * outside the replay window). Only then is the API's whole cache purged and `cms-auth:webhook`
 * called. A refused request changes nothing.
 */
export async function handleWebhook(event: H3Event): Promise<void> {
  const route: string = event.context.matchedRoute?.path ?? ''
  const api = useWebhookApi(route.slice(route.lastIndexOf('/') + 1))
  if (!api)
    return sendProxyError(event, 404, 'No such webhook.')
  if (event.method !== 'POST')
    return sendProxyError(event, 405, 'A webhook is a POST.', { allow: 'POST' })
  if (!api.secret)
    return sendProxyError(event, 500, `cmsAuth.apis.${api.name}.webhook has no secret on this deployment (set ${api.secretEnv}).`)
  const body = await readWholeBody(event, api.maxBodySize)
  if (body === 'too-large')
    return sendProxyError(event, 413, `The webhook body is larger than ${api.maxBodySize} bytes.`, { connection: 'close' })
  const verdict = await verifyWebhook(api.scheme, {
    method: event.method,
    path: rawRequestTarget(event),
    header: name => getRequestHeader(event, name),
    body: body ?? new Uint8Array(),
  }, { secret: api.secret, header: api.header, tolerance: api.tolerance, now: Date.now() })
  if (!verdict.ok)
    return sendProxyError(event, verdict.status, `The webhook was refused: ${verdict.reason}.`)

  const purged = api.cached ? await purgeCache(api.name).catch(() => -1) : 0
  if (purged < 0)
    return sendProxyError(event, 503, 'The cache could not be purged (its storage did not answer); the CMS may retry.')
  await useNitroApp().hooks.callHook('cms-auth:webhook', { api: api.name, event, payload: parsePayload(body), purged })
  const answer = new TextEncoder().encode(JSON.stringify({ ok: true, purged }))
  setResponseStatus(event, 200)
  setResponseHeaders(event, { 'content-type': 'application/json; charset=utf-8', 'content-length': answer.length, 'cache-control': 'no-store' })
  endResponse(event, answer)
}

export default defineEventHandler(handleWebhook)

function parsePayload(body: Uint8Array | undefined): unknown {
  const text = new TextDecoder().decode(body ?? new Uint8Array())
  try {
    return JSON.parse(text)
  }
  catch {
    return text
  }
}
