import type { Verdict, WireResponse } from './tokens'

type Classify = (response: Pick<WireResponse, 'status' | 'body'>) => Verdict

/** The common case: some statuses mean "the token is no good" (refresh, replay once), some "not allowed". */
export function classifyByStatus(expired: readonly number[], denied: readonly number[] = [403]): Classify {
  return ({ status }) => expired.includes(status) ? 'expired' : denied.includes(status) ? 'denied' : 'other'
}

/** The first `errors[].extensions.code` (Directus) or `errors[].code` (NocoBase) of an error body. */
export function errorCode(body: any): string | undefined {
  const first = Array.isArray(body?.errors) ? body.errors[0] : undefined
  return first?.extensions?.code ?? first?.code
}
