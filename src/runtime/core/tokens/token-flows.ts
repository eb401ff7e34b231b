import type { CmsEndpoints } from '../config-types'
import { configHints, selfRenewal } from '../features'
import { jwtLifetimeEnd } from './expiry'
import type { DynamicProtocol } from '../presets/define'
import type { Send, TokenSet, WireResponse } from './tokens'
import { authError, isTransientStatus } from './tokens'

/** A preset's protocol bound to one API: its endpoints and a way to send requests to it. */
export interface TokenFlowContext {
  protocol: DynamicProtocol
  endpoints: CmsEndpoints & { login: string }
  send: Send
  now?: () => number
}

/**
 * Logs in: one request for most CMSs, two for Kuroco (login → grant_token → token). Without
 * credentials, asks for an anonymous token where the CMS has one (Kuroco `token {}`).
 */
export async function requestLogin(context: TokenFlowContext, credentials?: Record<string, unknown>): Promise<{ tokens: TokenSet, user?: unknown }> {
  const { protocol, endpoints } = context
  if (!credentials) {
    if (protocol.anonymousBody === undefined || !endpoints.token)
      throw authError('rejected', `login() needs credentials${configHints ? ': this CMS has no anonymous token' : ''}`)
    const response = await post(context, endpoints.token, protocol.anonymousBody, 'anonymous token')
    return { tokens: { ...readTokens(context, response, 'anonymous token'), refreshToken: undefined, anonymous: true } }
  }
  const login = await post(context, endpoints.login, protocol.loginBody(credentials), 'login')
  const final = protocol.exchangeBody && endpoints.token
    ? await post(context, endpoints.token, protocol.exchangeBody(login.body), 'token exchange')
    : login
  return { tokens: readTokens(context, final, 'login'), user: protocol.loginUser?.(login.body) }
}

/**
 * New tokens for old ones; a CMS that does not rotate keeps the old refresh token valid. Payload
 * and PocketBase have no refresh token: the current access token renews itself, and only while it
 * is valid (asking with an expired one would only cost a request).
 */
export async function requestRefresh(context: TokenFlowContext, tokens: TokenSet): Promise<TokenSet> {
  const { protocol, endpoints } = context
  if (tokens.anonymous)
    return (await requestLogin(context)).tokens
  const itself = selfRenewal && protocol.refreshWith === 'access-token'
  if (!endpoints.refresh || (itself ? tokens.expiresAt! <= (context.now ?? Date.now)() : !tokens.refreshToken || !protocol.refreshBody))
    throw authError('rejected', 'the session expired and cannot be renewed')
  const next = readTokens(context, await post(context, endpoints.refresh, protocol.refreshBody?.(tokens) ?? {}, 'refresh', itself ? tokens.accessToken : undefined), 'refresh')
  return next.refreshToken || itself ? next : { ...next, refreshToken: tokens.refreshToken, refreshExpiresAt: tokens.refreshExpiresAt }
}

/** Tells the CMS the session is over; best effort, since the tokens are already gone locally. */
export async function requestLogout(context: TokenFlowContext, tokens: TokenSet): Promise<void> {
  const { protocol, endpoints } = context
  if (!endpoints.logout || tokens.anonymous)
    return
  await context.send({ path: endpoints.logout, method: 'POST', body: protocol.logoutBody?.(tokens) ?? {}, token: tokens.accessToken }).catch(() => {})
}

async function post(context: TokenFlowContext, path: string, body: unknown, step: string, token?: string): Promise<WireResponse> {
  let response: WireResponse
  try {
    response = await context.send({ path, method: 'POST', body, token })
  }
  catch (error) {
    throw authError('unavailable', `${step} request to ${path} failed: ${(error as Error).message}`)
  }
  if (response.status >= 400)
    throw authError(isTransientStatus(response.status) ? 'unavailable' : 'rejected', `${step} at ${path} answered ${response.status}`, response)
  return response
}

function readTokens(context: TokenFlowContext, response: WireResponse, step: string): TokenSet {
  const now = (context.now ?? Date.now)()
  const tokens = context.protocol.readTokens(response, now)
  if (!tokens)
    throw authError('rejected', `${step} response holds no access token${configHints ? ' where the preset expects it (check the endpoints and fields options)' : ''}`, response)
  // Expired on arrival: the CMS's clock is behind ours by more than the token lifetime and nothing
  // told us by how much (a browser sees `Date` only if CORS exposes it). Trusting that expiry would
  // refresh before every request; the token's own lifetime (a JWT's exp − iat) is clock-free, and
  // without one the CMS's "expired" answer triggers the refresh instead.
  if (tokens.expiresAt !== undefined && tokens.expiresAt <= now)
    return { ...tokens, expiresAt: jwtLifetimeEnd(tokens.accessToken, now), issuedAt: now }
  return { ...tokens, issuedAt: now }
}
