/** A webhook request as a verifier sees it: the raw body, never a re-serialised one. */
export interface WebhookRequest {
  method: string
  /** The request target as received (path and query). */
  path: string
  /** A request header by lower-case name. */
  header: (name: string) => string | undefined
  body: Uint8Array
}

export interface VerifyOptions {
  secret: string
  /** The shared-secret scheme's header, lower-cased. */
  header: string
  /** Seconds a signed timestamp may be away from `now` (Contentful, Hygraph). */
  tolerance: number
  /** Epoch ms. */
  now: number
}

/** Accepted, or refused with the status the route answers: 401 unsigned or wrong, 400 malformed or stale. */
export type WebhookVerdict = { ok: true } | { ok: false, status: 400 | 401, reason: string }

export type WebhookVerifier = (request: WebhookRequest, options: VerifyOptions) => Promise<WebhookVerdict>

export const accepted: WebhookVerdict = { ok: true }
export const refused = (status: 400 | 401, reason: string): WebhookVerdict => ({ ok: false, status, reason })

/** A signed timestamp (epoch ms) within `tolerance` seconds of now, either way. */
export function withinReplayWindow(timestamp: number, { now, tolerance }: VerifyOptions): boolean {
  return Number.isFinite(timestamp) && Math.abs(now - timestamp) <= tolerance * 1000
}
