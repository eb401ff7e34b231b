import { createError } from 'h3'
import type { Verdict } from '../../core/tokens/tokens'
import { isAuthError } from '../../core/tokens/tokens'
import { isStorageUnavailable, STORAGE_RETRY_AFTER } from '../storage/storage-bound'

/** What a request gets when the CMS could not log in or renew a session now: never the CMS's own answer. */
export interface SessionFailureAnswer {
  statusCode: number
  message: string
  headers: Record<string, string>
}

/**
 * The CMS's 429 to the server's login or session renewal, for every kind of server-held session:
 * 429 with the wait the CMS asked for (`retryAfterOf`: its Retry-After, or its X-RateLimit-Reset).
 */
export function rateLimitedAnswer(step: 'login' | 'renewal', retryAfter: string | undefined): SessionFailureAnswer {
  const message = step === 'login' ? 'The CMS is rate limiting logins from this site; try again later.' : 'The CMS is rate limiting session renewals; try again later.'
  return { statusCode: 429, message, headers: retryAfter ? { 'retry-after': retryAfter } : {} }
}

/**
 * The answer to a failed renewal that left the session as it was: the CMS rate limiting it (429
 * with the CMS's Retry-After), storage not answering (503), or the CMS down (502). The proxy route
 * sends it, and SSR throws it as the page's fetch error.
 */
export function renewalFailureAnswer(failure: unknown, retryAfter: string | undefined): SessionFailureAnswer {
  if (isStorageUnavailable(failure))
    return { statusCode: 503, message: failure.message, headers: { 'retry-after': STORAGE_RETRY_AFTER } }
  if (isAuthError(failure) && failure.statusCode === 429)
    return rateLimitedAnswer('renewal', retryAfter)
  return { statusCode: 502, message: 'The CMS could not renew the session; try again.', headers: {} }
}

/**
 * The same answer as an SSR call's error, shaped as the browser's fetch error of the proxy route
 * is: `statusCode`, `data: { statusCode, message }`, and a `response` whose headers carry
 * `Retry-After`. The page payload keeps no headers, so `data.retryAfter` repeats it.
 */
export function renewalFetchError({ statusCode, message, headers }: SessionFailureAnswer): Error {
  const retryAfter = headers['retry-after']
  const body = { statusCode, message, ...(retryAfter ? { retryAfter } : {}) }
  const response = new Response(JSON.stringify(body), { status: statusCode, headers: { ...headers, 'content-type': 'application/json; charset=utf-8' } })
  return Object.assign(createError({ statusCode, message, data: body }), { response })
}

/** What a session-ended call answers without reaching the CMS. */
export const sessionEndedError = () => createError({ statusCode: 401, statusMessage: 'Unauthorized', message: 'The session has ended; log in again.' })

/**
 * A server-held session's call that failed because its refresh did (the due token's, or the one
 * after an "expired" answer): the error the proxy route would answer (429 with Retry-After, 502,
 * 503; 401 once the session ended), never the CMS's own answer, which would read as a dead session
 * or leak its body. `undefined`: the call failed for its own reason, and its error stands.
 */
export function renewalCallError(error: unknown, verdictOf: (error: unknown) => Verdict | undefined, session: { ended: boolean, failure?: unknown, retryAfter?: string }): Error | undefined {
  if (!isAuthError(error) && verdictOf(error) !== 'expired')
    return undefined
  if (session.ended)
    return sessionEndedError()
  return session.failure ? renewalFetchError(renewalFailureAnswer(session.failure, session.retryAfter)) : undefined
}
