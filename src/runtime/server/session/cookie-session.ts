import type { H3Event } from 'h3'
import { appendResponseHeader, getRequestHeader, getRequestProtocol } from 'h3'
import { clearCmsCookie, cmsCookieNames, nextCmsCookies, rewriteSetCookie, selectCmsCookies } from '../../core/cms-cookies'
import type { CmsCookieScope } from '../../core/cms-cookies'
import { presets } from '../../core/presets'
import type { UpstreamRequest } from '../forward-upstream'
import type { ProxyApi } from '../proxy-config'

/** What the session routes answer for a cookie-mode API: the CMS's cookies hold the session. */
export interface CookieSessionState {
  status: 'logged-in' | 'logged-out'
  user: unknown
  expiresAt: null
}

/** A login or a CMS answer the session routes turn into a JSON error of their own. */
export class CookieSessionError extends Error {
  constructor(public status: number, message: string) {
    super(message)
  }
}

const secureFor = (event: H3Event) => getRequestProtocol(event, { xForwardedProto: true }) === 'https'

/** A proxied request of a cookie-mode API: this upstream's cookies go up, its `Set-Cookie` come back renamed. */
export function withCmsCookies(event: H3Event, scope: CmsCookieScope, request: UpstreamRequest): void {
  const cookies = selectCmsCookies(getRequestHeader(event, 'cookie'), scope)
  if (cookies)
    request.headers.cookie = cookies
  const secure = secureFor(event)
  request.rewriteSetCookie = setCookies => setCookies.map(header => rewriteSetCookie(header, scope, secure)).filter(cookie => cookie !== undefined)
}

/**
 * `login`, `logout` and `session` of a cookie-mode API, run on the server: the browser posts the
 * credentials, the CMS's session cookies come back as the app's own (httpOnly, proxy path).
 */
export function useCookieSession(event: H3Event, api: ProxyApi) {
  const scope = api.cookieScope!
  const { endpoints, preset } = api.cookieSession!
  const secure = secureFor(event)
  let cookies = selectCmsCookies(getRequestHeader(event, 'cookie'), scope)

  async function send(path: string, method: 'GET' | 'POST', body?: unknown) {
    const response = await $fetch.raw(path, {
      baseURL: api.baseURL,
      method,
      body: body as Record<string, unknown> | undefined,
      headers: { ...api.headers, ...(cookies ? { cookie: cookies } : {}) },
      ignoreResponseError: true,
      timeout: api.timeout,
    }).catch(() => {
      throw new CookieSessionError(502, `The CMS could not be reached at ${path}.`)
    })
    const setCookies = response.headers.getSetCookie()
    cookies = nextCmsCookies(cookies, setCookies)
    for (const header of setCookies) {
      const cookie = rewriteSetCookie(header, scope, secure)
      if (cookie)
        appendResponseHeader(event, 'set-cookie', cookie)
    }
    return response
  }

  const loggedOut: CookieSessionState = { status: 'logged-out', user: null, expiresAt: null }

  async function state(): Promise<CookieSessionState> {
    if (!cookies)
      return loggedOut
    if (!endpoints.user)
      return { status: 'logged-in', user: null, expiresAt: null }
    const response = await send(endpoints.user, 'GET')
    if (response.ok) {
      const readUser = presets[preset].dynamic?.readUser
      return { status: 'logged-in', user: readUser ? readUser(response._data) : response._data, expiresAt: null }
    }
    if (response.status === 401 || response.status === 403)
      return loggedOut
    throw new CookieSessionError(502, `The CMS answered ${response.status} to ${endpoints.user}.`)
  }

  return {
    state,
    async login(credentials: Record<string, unknown> | undefined): Promise<CookieSessionState> {
      const response = await send(endpoints.login, 'POST', credentials ?? {})
      if (!response.ok)
        throw new CookieSessionError(response.status >= 500 ? 502 : 401, `The CMS refused the login (${response.status} from ${endpoints.login}).`)
      const next = await state()
      if (next.status !== 'logged-in')
        throw new CookieSessionError(401, `The CMS accepted the login but set no session cookie that ${endpoints.user ?? 'it'} accepts.`)
      return next
    },
    async logout(): Promise<CookieSessionState> {
      const names = cmsCookieNames(getRequestHeader(event, 'cookie'), scope)
      if (endpoints.logout && cookies)
        await send(endpoints.logout, 'POST', {}).catch(() => undefined)
      for (const name of names)
        appendResponseHeader(event, 'set-cookie', clearCmsCookie(name, scope, secure))
      return loggedOut
    },
  }
}
