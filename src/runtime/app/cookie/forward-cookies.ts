import type { H3Event } from 'h3'
import { getRequestHeader, getResponseHeader, setResponseHeader } from 'h3'
import type { FetchContext } from 'ofetch'
import { applySetCookies, jarCookieHeader, jarFromRequest } from '../../core/cookies/cms-cookies'
import { pickCookies, pickSetCookies } from '../../core/cookies/forwarded-cookies'

/**
 * SSR of a direct cookie API: requests to the API carry the page request's CMS cookies (only
 * `names`), and the CMS's `Set-Cookie` for those names go on the page response as the CMS wrote
 * them, so a session the CMS renews during SSR reaches the browser; later requests of the same
 * render send the renewed value.
 */
export function forwardCookies(event: H3Event, names: string[]) {
  // h3's helpers, not event.node: the same code runs where a request has no Node socket.
  let jar = jarFromRequest(pickCookies(getRequestHeader(event, 'cookie'), names), undefined, Date.now())

  const relay = ({ response }: FetchContext) => {
    const setCookies = pickSetCookies(response?.headers.getSetCookie() ?? [], names)
    if (!setCookies.length)
      return
    jar = applySetCookies(jar, setCookies, Date.now())
    if (!event.handled)
      setResponseHeader(event, 'set-cookie', [...[getResponseHeader(event, 'set-cookie') ?? []].flat().map(String), ...setCookies])
  }

  return {
    /** Whether the visitor sent any of the CMS's cookies (none: logged out, no need to ask). */
    hasCookies: () => jarCookieHeader(jar, Date.now()) !== undefined,
    /** For `createCmsClient`: runs only on requests under the API's base URL. */
    attach(options: FetchContext['options']) {
      const cookie = jarCookieHeader(jar, Date.now())
      if (cookie)
        (options.headers as Headers).set('cookie', cookie)
      options.onResponse = [options.onResponse || [], relay].flat()
    },
  }
}
