import type { H3Event } from 'h3'
import { credentialFor } from '../../core/client/credential'
import { withCredentialQuery } from '../../core/proxy/proxy-path'
import { isAuthError } from '../../core/tokens/tokens'
import type { Verdict } from '../../core/tokens/tokens'
import { forward } from '../proxy/transport'
import { sendHeldResponse } from '../proxy/upstream'
import type { HeldResponse, UpstreamRequest } from '../proxy/upstream'
import type { ProxyApi } from '../proxy/proxy-config'
import { sendProxyError } from '../proxy/proxy-error'
import { isStorageUnavailable, STORAGE_RETRY_AFTER } from '../storage/storage-bound'
import { renewalFailureAnswer } from './session-failure'
import { useSessionApi } from './session-config'
import { useRequestSession } from './server-session'
import type { RequestSession } from './server-session'

/** Set on every response whose session is over; the page's client logs out when it sees it. */
export const SESSION_ENDED = { 'x-cms-auth-session': 'ended' } as const

/** Thrown inside the token session's `call` so it refreshes and replays once. */
interface ExpiredAnswer extends Error { held: HeldResponse }

/**
 * A proxied request of a server-held session: the access token is added here (refreshed first
 * when due), an answer the preset calls "expired" is held back, and the request is replayed once
 * with the refreshed token. The body was buffered by the handler, so a replay resends it whole.
 * The session cookie is written before the response starts. A session that has ended (logged out,
 * revoked, its refresh refused) answers 401 with `x-cms-auth-session: ended` and sends the CMS
 * nothing; a storage outage answers 503.
 */
export async function forwardWithSession(event: H3Event, proxy: ProxyApi, request: UpstreamRequest, target: { path: string, search: string }): Promise<void> {
  const api = useSessionApi(proxy)!
  let session: RequestSession | undefined
  try {
    session = await useRequestSession(event, api)
    if (session.ended())
      return sendEnded(event, request)
    await forwardAuthorised(event, proxy, session, request, target)
  }
  catch (error) {
    if (isStorageUnavailable(error))
      return sendProxyError(event, 503, error.message, { ...request.responseHeaders, 'retry-after': STORAGE_RETRY_AFTER })
    if (!isAuthError(error) || !session)
      throw error
    await session.commit().catch(() => undefined)
    if (session.ended())
      return sendEnded(event, request)
    // The CMS could not renew the session now (down, or rate limiting the server): it is kept.
    const answer = renewalFailureAnswer(error, session.retryAfter())
    return sendProxyError(event, answer.statusCode, answer.message, { ...request.responseHeaders, ...answer.headers })
  }
}

function sendEnded(event: H3Event, request: UpstreamRequest): void {
  sendProxyError(event, 401, 'The session has ended; log in again.', { ...request.responseHeaders, ...SESSION_ENDED })
}

async function forwardAuthorised(event: H3Event, proxy: ProxyApi, session: RequestSession, request: UpstreamRequest, target: { path: string, search: string }): Promise<void> {
  const { protocol } = useSessionApi(proxy)!
  const { credential } = proxy
  const ended = (): Record<string, string> => session.ended() ? SESSION_ENDED : {}

  let attempts = 0
  const attempt = async (token: string | undefined): Promise<void> => {
    attempts++
    await session.commit()
    const headers = { ...request.headers }
    let pathAndQuery = request.pathAndQuery
    const placed = token ? credentialFor(credential, token) : undefined
    if (placed && 'header' in placed)
      headers[placed.header.toLowerCase()] = placed.value
    else if (placed)
      pathAndQuery = target.path + withCredentialQuery(target.search, `${encodeURIComponent(placed.query)}=${encodeURIComponent(placed.value)}`)
    let renewed: string | null | undefined
    // Held back: errors (to be classified) and answers that renew the token (NocoBase's x-new-token),
    // whose new session cookie must go out before the response starts.
    const held = await forward(event, proxy, { ...request, headers, pathAndQuery }, (status, header) => {
      renewed = protocol.renewedToken?.({ status, body: undefined, header })
      return status >= 400 || Boolean(renewed)
    })
    if (renewed)
      await session.run(async s => s.renew(renewed!))
    if (!held)
      return
    if (token && protocol.classify({ status: held.status, body: parseBody(held.body) }) === 'expired')
      throw Object.assign(new Error('expired'), { held }) satisfies ExpiredAnswer
    await session.commit()
    sendHeldResponse(event, held, { ...request.responseHeaders, ...ended() })
  }

  try {
    await session.run(s => s.call(attempt, (error): Verdict | undefined => (error as ExpiredAnswer)?.held ? 'expired' : undefined))
  }
  catch (error) {
    const held = (error as ExpiredAnswer)?.held
    if (!held)
      throw error
    // The CMS said "expired" and the refresh that followed failed without ending the session (the
    // CMS rate limiting or down, storage not answering): that is the answer (429 with the CMS's
    // Retry-After, 502, 503), not the CMS's "expired", which would read as a dead session.
    const failure = attempts === 1 && !session.ended() ? session.renewalFailure() : undefined
    if (failure)
      throw failure
    // The replay was refused too, or the refresh was refused (the session ended): the browser gets the CMS's answer.
    await session.commit()
    sendHeldResponse(event, held, { ...request.responseHeaders, ...ended() })
  }
}

/** A held answer's JSON body, or undefined (the presets classify by status when there is none). */
export function parseBody(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body))
  }
  catch {
    return undefined
  }
}
