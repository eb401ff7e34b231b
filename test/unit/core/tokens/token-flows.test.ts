import { describe, expect, it } from 'vitest'
import { presets } from '../../../../src/runtime/core/presets'
import { requestRefresh } from '../../../../src/runtime/core/tokens/token-flows'
import type { TokenFlowContext } from '../../../../src/runtime/core/tokens/token-flows'
import { createTokenSession } from '../../../../src/runtime/core/tokens/token-session'
import type { TokenSet, WireRequest } from '../../../../src/runtime/core/tokens/tokens'

const now = Date.parse('2026-11-01T12:00:00Z')
const jwt = (exp: number) => `e30.${btoa(JSON.stringify({ exp })).replace(/=+$/, '')}.sig`

/** A CMS that renews the token it is sent (Payload's refresh-token answer), recording each request. */
function renewingCms(answer: (request: WireRequest) => { status: number, body: unknown } = request => ({ status: 200, body: { refreshedToken: `${request.token}+`, exp: now / 1000 + 7200 } })) {
  const sent: WireRequest[] = []
  const protocol = presets.payload.dynamic!
  const context: TokenFlowContext = {
    protocol,
    endpoints: protocol.endpoints,
    send: async (request) => {
      sent.push(request)
      const { status, body } = answer(request)
      return { status, body, header: () => null }
    },
    now: () => now,
  }
  return { sent, context }
}

describe('refresh with the current access token (Payload, PocketBase)', () => {
  it('posts to the refresh endpoint with the current token as the credential and no refresh token in the body', async () => {
    const { sent, context } = renewingCms()
    const next = await requestRefresh(context, { accessToken: 'A', expiresAt: now + 10_000 })
    expect(sent).toEqual([{ path: '/api/users/refresh-token', method: 'POST', body: {}, token: 'A' }])
    expect(next).toMatchObject({ accessToken: 'A+', expiresAt: now + 7_200_000, refreshExpiresAt: now + 7_200_000, issuedAt: now })
    expect(next.refreshToken).toBeUndefined()
  })

  it('refuses without asking the CMS when the token has already expired: it cannot renew itself', async () => {
    const { sent, context } = renewingCms()
    await expect(requestRefresh(context, { accessToken: 'A', expiresAt: now - 1 })).rejects.toMatchObject({ reason: 'rejected' })
    expect(sent).toEqual([])
  })

  it('calls a refused renewal rejected (logs out) and a 5xx unavailable (keeps the session)', async () => {
    const refused = renewingCms(() => ({ status: 403, body: { errors: [{ message: 'You are not allowed to perform this action.' }] } }))
    await expect(requestRefresh(refused.context, { accessToken: 'A', expiresAt: now + 10_000 })).rejects.toMatchObject({ reason: 'rejected', statusCode: 403 })
    const down = renewingCms(() => ({ status: 503, body: {} }))
    await expect(requestRefresh(down.context, { accessToken: 'A', expiresAt: now + 10_000 })).rejects.toMatchObject({ reason: 'unavailable' })
  })

  it('lets a session without a refresh token renew before expiry, once for concurrent callers', async () => {
    const { sent, context } = renewingCms()
    let tokens: TokenSet | null = { accessToken: jwt(now / 1000 + 20), expiresAt: now + 20_000, issuedAt: now - 100_000 }
    const session = createTokenSession({ ...context, marginMs: 30_000, storage: { read: () => tokens, write: (next) => {
      tokens = next
    } } })
    const used = await Promise.all([session.accessToken(), session.accessToken(), session.accessToken()])
    expect(sent).toHaveLength(1)
    expect(new Set(used)).toEqual(new Set([`${sent[0]!.token}+`]))
  })

  it('ends a session whose token expired instead of sending it: the CMS would take the request as a guest\'s', async () => {
    const { sent, context } = renewingCms()
    let tokens: TokenSet | null = { accessToken: 'A', expiresAt: now - 1 }
    const events: string[] = []
    const session = createTokenSession({ ...context, marginMs: 30_000, storage: { read: () => tokens, write: (next) => {
      tokens = next
    } }, onEvent: event => events.push(event.type) })
    await expect(session.accessToken()).rejects.toMatchObject({ reason: 'rejected' })
    expect(tokens).toBeNull()
    expect(events).toEqual(['logout'])
    expect(sent).toEqual([])
  })
})
