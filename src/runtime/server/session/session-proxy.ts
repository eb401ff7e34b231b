import type { H3Event } from 'h3'
import { withCredentialQuery } from '../../core/proxy-path'
import type { Verdict } from '../../core/tokens'
import { forwardInProcess, forwardToUpstream, sendHeldResponse } from '../forward-upstream'
import type { HeldResponse, UpstreamRequest } from '../forward-upstream'
import type { ProxyApi } from '../proxy-config'
import { useSessionApi } from './session-config'
import { useRequestSession } from './server-session'

/** Thrown inside the token session's `call` so it refreshes and replays once. */
interface ExpiredAnswer extends Error { held: HeldResponse }

/**
 * A proxied request of a server-held session: the access token is added here (refreshed first
 * when due), an answer the preset calls "expired" is held back, and the request is replayed once
 * with the refreshed token. The body was buffered by the handler, so a replay resends it whole.
 * The session cookie is written before the response starts.
 */
export async function forwardWithSession(event: H3Event, proxy: ProxyApi, request: UpstreamRequest, target: { path: string, search: string }): Promise<void> {
  const api = useSessionApi(proxy)!
  const session = await useRequestSession(event, api)
  const forward = proxy.upstream ? forwardToUpstream : forwardInProcess
  const { protocol } = api
  const { credential } = proxy
  const ended = (): Record<string, string> => session.tokens() ? {} : { 'x-cms-auth-session': 'ended' }

  const attempt = async (token: string | undefined): Promise<void> => {
    await session.commit()
    const headers = { ...request.headers }
    let pathAndQuery = request.pathAndQuery
    if (token && credential.header)
      headers[credential.header.toLowerCase()] = (credential.prefix ?? '') + token
    else if (token && credential.query)
      pathAndQuery = target.path + withCredentialQuery(target.search, `${encodeURIComponent(credential.query)}=${encodeURIComponent(token)}`)
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
    // The replay was refused too, or the refresh failed: the browser gets the CMS's answer.
    await session.commit()
    sendHeldResponse(event, held, { ...request.responseHeaders, ...ended() })
  }
}

function parseBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  }
  catch {
    return undefined
  }
}
