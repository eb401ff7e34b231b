/** What a dynamic-token login leaves behind. Times are epoch ms on this machine's clock. */
export interface TokenSet {
  accessToken: string
  expiresAt?: number
  refreshToken?: string
  refreshExpiresAt?: number
  /** When this machine received it: caps the refresh margin for short-lived tokens. */
  issuedAt?: number
  /** Kuroco's anonymous token (`POST token {}`): "refreshed" by asking for a new one. */
  anonymous?: boolean
}

/** A CMS response as the core sees it: framework-free, so the app and the server share it. */
export interface WireResponse {
  status: number
  body: any
  header: (name: string) => string | null | undefined
}

export interface WireRequest {
  path: string
  method?: 'GET' | 'POST'
  body?: unknown
  /** Access token to attach in the API's credential placement. */
  token?: string
}

/** Sends one request to the API; resolves for every HTTP status, rejects only when nothing came back. */
export type Send = (request: WireRequest) => Promise<WireResponse>

/** How a response to an authenticated request is read: refresh and replay once, give up, or not ours. */
export type Verdict = 'expired' | 'denied' | 'other'

/**
 * Why a login or refresh failed: `rejected` (the CMS said no: credentials, a revoked or reused
 * refresh token) logs out; `unavailable` (network error, 5xx, 429) keeps the session for a retry.
 */
export type AuthFailure = 'rejected' | 'unavailable'

export interface CmsAuthError extends Error {
  reason: AuthFailure
  statusCode?: number
  data?: unknown
}

export function authError(reason: AuthFailure, message: string, response?: Pick<WireResponse, 'status' | 'body'>): CmsAuthError {
  return Object.assign(new Error(`[nuxt-cms-auth] ${message}`), { reason, statusCode: response?.status, data: response?.body })
}

export function isAuthError(error: unknown): error is CmsAuthError {
  return error instanceof Error && ((error as CmsAuthError).reason === 'rejected' || (error as CmsAuthError).reason === 'unavailable')
}

/** Whether a failed login/refresh response is worth retrying later rather than ending the session. */
export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408
}
