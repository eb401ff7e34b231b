import type { H3Event } from 'h3'
import type { ProxyApi } from '../proxy/proxy-config'
import { useRequestCookieJar } from './cookie-jar'
import { useSessionApi } from './session-config'
import { readSessionCookie } from './server-session'

/**
 * A stable key of the request's session for `api`, for counting requests per session (rate
 * limits): the same for every request of one login, different for another login, undefined when
 * the request carries no session. It is a hash, so it says nothing about the session's id or the
 * CMS's cookies, and it costs no storage read: whether the session is still live is not checked.
 * Only what this server sealed counts (the session cookie; in cookie mode the sealed copy of the
 * CMS's cookies, which rides on proxied requests too): a client that invents cookie values gets
 * no counter of its own, it counts by address.
 */
export async function sessionRateLimitKey(event: H3Event, api: ProxyApi): Promise<string | undefined> {
  const sessionApi = useSessionApi(api)
  if (sessionApi) {
    const sealed = await readSessionCookie(event, sessionApi)
    return sealed ? `s:${await digest(`${api.name}:${sealed.id}`)}` : undefined
  }
  if (api.mode !== 'proxy-cookie' || !api.cookieScope)
    return undefined
  const cookies = (await useRequestCookieJar(event, api)).sealedHeader()
  return cookies ? `c:${await digest(`${api.cookieScope.prefix}${cookies}`)}` : undefined
}

/** Whose rate-limit counter a request goes on when the API counts by session (`rateLimit.by`); `undefined`: by address. */
export function rateLimitSessionKey(event: H3Event, api: ProxyApi): Promise<string | undefined> | undefined {
  return api.rateLimit && api.rateLimit.by === 'session' ? sessionRateLimitKey(event, api) : undefined
}

async function digest(value: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value)))
  return Array.from(bytes.subarray(0, 12), byte => byte.toString(16).padStart(2, '0')).join('')
}
