import type { H3Event } from 'h3'
import { getRequestHeader, setResponseHeader } from 'h3'
import type { $Fetch, FetchContext } from 'ofetch'
import { createCmsClient } from '../../core/client/cms-client'
import { selectCmsCookies } from '../../core/cookies/cms-cookies'
import { cookieSessionState, loggedOutState as loggedOut } from '../../core/cookies/cookie-state'
import type { CookieSessionState } from '../../core/cookies/cookie-state'
import { presets } from '../../core/presets'
import { pickUser } from '../../core/session/session-user'
import { retryAfterOf } from '../../core/tokens/retry-after'
import { clientAddressOf } from '../proxy/client-checks'
import { forward } from '../proxy/transport'
import { sendHeldResponse } from '../proxy/upstream'
import type { UpstreamRequest } from '../proxy/upstream'
import { resolveProxyApis, serverClientConfig } from '../proxy/proxy-config'
import type { ProxyApi } from '../proxy/proxy-config'
import { sendCookies, useRequestCookieJar } from './cookie-jar'
import type { RequestCookieJar } from './cookie-jar'
import { rateLimitedAnswer } from './session-failure'
import { parseBody, SESSION_ENDED } from './session-proxy'

/** A login or a CMS answer the session routes turn into a JSON error of their own. */
export class CookieSessionError extends Error {
  constructor(public status: number, message: string, public headers: Record<string, string> = {}) {
    super(message)
  }
}

/**
 * The token a preset's CMS wants beside its cookies (WordPress's REST nonce, `cookieToken`), as a
 * header: kept among the CMS's cookies, asked from its endpoint with the cookies when missing.
 * None when the preset has none, nobody is logged in, or the CMS gives none.
 */
async function cookieTokenHeader(event: H3Event, api: ProxyApi, jar: RequestCookieJar): Promise<Record<string, string>> {
  const token = presets[api.cookieSession!.preset].dynamic?.cookieToken
  const cookie = token && jar.header()
  if (!token || !cookie)
    return {}
  let value = jar.get(token.name)
  if (!value) {
    const response = await $fetch.raw<string>(token.endpoint, { baseURL: api.baseURL, headers: { ...api.headers, cookie }, responseType: 'text', ignoreResponseError: true, timeout: api.timeout }).catch(() => undefined)
    // admin-ajax.php answers `0` (400) to a visitor nobody logged in.
    value = response?.ok && /^\w+$/.test(response._data ?? '') && response._data !== '0' ? response._data : undefined
    if (!value)
      return {}
    sendCookies(event, await jar.take([`${token.name}=${value}; Max-Age=${token.maxAge}`]), api.cookieScope!)
  }
  return { [token.header]: value }
}

/**
 * A proxied request of a cookie-mode API: this upstream's cookies go up, its `Set-Cookie` come
 * back renamed. An answer the preset calls "expired" to a request that carried the CMS's
 * cookies means the CMS ended the session: the cookies and their SSR copy are cleared and the
 * response says `x-cms-auth-session: ended`, as for a server-held session whose refresh was refused.
 */
export async function forwardWithCmsCookies(event: H3Event, api: ProxyApi, request: UpstreamRequest): Promise<void> {
  const cookies = selectCmsCookies(getRequestHeader(event, 'cookie'), api.cookieScope!)
  if (cookies)
    request.headers.cookie = cookies
  if (cookies && presets[api.cookieSession!.preset].dynamic?.cookieToken)
    Object.assign(request.headers, await cookieTokenHeader(event, api, await useRequestCookieJar(event, api)))
  // Opened only when the CMS sets a cookie: most proxied responses do not.
  request.rewriteSetCookie = async setCookies => (await useRequestCookieJar(event, api)).take(setCookies)
  const classify = presets[api.cookieSession!.preset].dynamic?.classify
  // Only error answers are held (to be classified); everything else streams as before.
  const held = await forward(event, api, request, status => Boolean(cookies && classify) && status >= 400)
  if (!held)
    return
  const ended = classify!({ status: held.status, body: parseBody(held.body) }) === 'expired'
  const setCookies = [held.headers['set-cookie'] ?? []].flat()
  const jar = await useRequestCookieJar(event, api)
  if (ended)
    setResponseHeader(event, 'set-cookie', jar.clear())
  else if (setCookies.length) {
    setResponseHeader(event, 'set-cookie', await jar.take(setCookies))
  }
  sendHeldResponse(event, held, { ...request.responseHeaders, ...(ended ? SESSION_ENDED : {}) })
}

/**
 * SSR's client of a cookie-mode API: calls the CMS with the visitor's cookies (from the sealed
 * copy), and hands a cookie the CMS sets to the page's response, as the proxy would. An answer
 * the preset calls "expired" clears the cookies on the page's response and calls `onEnded`.
 */
export async function cookieSessionClient(event: H3Event, api: ProxyApi, onEnded?: () => void): Promise<$Fetch> {
  const jar = await useRequestCookieJar(event, api)
  const classify = presets[api.cookieSession!.preset].dynamic?.classify
  const relay = async ({ response, options }: FetchContext) => {
    const setCookies = response?.headers.getSetCookie() ?? []
    if (response && (options.headers as Headers).has('cookie') && classify?.({ status: response.status, body: response._data }) === 'expired') {
      sendCookies(event, jar.clear(), api.cookieScope!)
      onEnded?.()
    }
    else if (setCookies.length) {
      sendCookies(event, await jar.take(setCookies), api.cookieScope!)
    }
  }
  return createCmsClient(api.name, serverClientConfig(api), async (options) => {
    const headers = options.headers as Headers
    const cookie = jar.header()
    if (cookie)
      headers.set('cookie', cookie)
    options.onResponse = [options.onResponse || [], relay].flat()
    for (const [name, value] of Object.entries(await cookieTokenHeader(event, api, jar)))
      headers.set(name, value)
  })
}

/** The other cookie APIs on this API's upstream: they share its CMS session (Kuroco's rule). */
export function sharingApis(api: ProxyApi): string[] {
  return [...resolveProxyApis().values()].filter(other => other !== api && other.cookieScope?.prefix === api.cookieScope?.prefix).map(other => other.name)
}

/** A cookie session's state for the page: who is logged in, and which APIs share that session. */
export type SharedCookieState = CookieSessionState & { shared: string[] }

/**
 * `login`, `logout` and `session` of a cookie-mode API, run on the server: the browser posts the
 * credentials, the CMS's session cookies come back as the app's own (httpOnly, proxy path).
 */
export function useCookieSession(event: H3Event, api: ProxyApi) {
  const scope = api.cookieScope!
  const { endpoints, preset, userFields } = api.cookieSession!
  const opened = useRequestCookieJar(event, api)
  const shared = sharingApis(api)

  const protocol = presets[preset].dynamic

  async function send(path: string, method: 'GET' | 'POST', body?: unknown) {
    const jar = await opened
    const cookie = jar.header()
    const login = path === endpoints.login
    // `forwardClientAddress`: the CMS's per-address login limit counts visitors, not this server.
    const client = login && api.cookieSession!.forwardClientAddress ? clientAddressOf(event, api) : undefined
    const token = login ? {} : await cookieTokenHeader(event, api, jar)
    const response = await $fetch.raw(path, {
      baseURL: api.baseURL,
      method,
      body: body as Record<string, unknown> | undefined,
      headers: { ...api.headers, ...(cookie ? { cookie } : {}), ...token, ...(client ? { 'x-forwarded-for': client } : {}) },
      // A form login (WordPress) answers with a redirect that carries the cookies: it is the answer.
      ...(login && protocol?.cookieLogin ? { redirect: 'manual' as const } : {}),
      ignoreResponseError: true,
      timeout: api.timeout,
    }).catch(() => {
      throw new CookieSessionError(502, `The CMS could not be reached at ${path}.`)
    })
    const setCookies = response.headers.getSetCookie()
    if (setCookies.length)
      sendCookies(event, await jar.take(setCookies), scope)
    return response
  }

  /** Asks `endpoints.user`; a "nobody" answer clears the stale cookies, so the next render asks nothing. */
  async function ask(): Promise<CookieSessionState> {
    const jar = await opened
    if (!endpoints.user)
      return { status: 'logged-in', user: null, expiresAt: null }
    const response = await send(endpoints.user, 'GET')
    const known = cookieSessionState(response.status, response._data, protocol?.readUser)
    if (!known)
      throw new CookieSessionError(502, `The CMS answered ${response.status} to ${endpoints.user}.`)
    if (known.status === 'logged-out')
      sendCookies(event, jar.clear(), scope)
    return known.status === 'logged-in' ? { ...known, user: pickUser(known.user, userFields) } : known
  }

  /** Who is logged in: asked of the CMS at most once per request for all the APIs on this upstream. */
  async function state(): Promise<SharedCookieState> {
    const jar = await opened
    // A browser logged in before the sealed copy existed (or whose copy drifted) gets it now.
    sendCookies(event, await jar.resync(), scope)
    const known = jar.header() ? await jar.ask(ask) : loggedOut
    return { ...known, shared }
  }

  return {
    state,
    async login(credentials: Record<string, unknown> | undefined): Promise<SharedCookieState> {
      const response = await send(endpoints.login, 'POST', protocol?.cookieLogin ? protocol.cookieLogin(credentials ?? {}) : credentials ?? {})
      if (!response.ok && !(protocol?.cookieLogin && response.status >= 300 && response.status < 400)) {
        if (response.status === 429) {
          const limited = rateLimitedAnswer('login', retryAfterOf(name => response.headers.get(name), Date.now()))
          throw new CookieSessionError(limited.statusCode, limited.message, limited.headers)
        }
        throw new CookieSessionError(response.status >= 500 ? 502 : 401, `The CMS refused the login (${response.status} from ${endpoints.login}).`)
      }
      ;(await opened).forget()
      const next = await state()
      if (next.status !== 'logged-in')
        throw new CookieSessionError(401, `The CMS accepted the login but set no session cookie that ${endpoints.user ?? 'it'} accepts.`)
      return next
    },
    async logout(): Promise<SharedCookieState> {
      const jar = await opened
      if (endpoints.logout && jar.header())
        await send(endpoints.logout, 'POST', {}).catch(() => undefined)
      sendCookies(event, jar.clear(), scope)
      return { ...loggedOut, shared }
    },
  }
}
