import { describe, expect, it } from 'vitest'
import { secretsMatch, signPreviewLink, verifyPreviewLink } from '../../../../src/runtime/core/preview/preview-link'

const secret = 'preview-secret-of-the-blog'
const now = Date.UTC(2026, 0, 1)
const claims = { api: 'blog', to: '/posts/draft', expires: now / 1000 + 600 }

describe('signed preview links', () => {
  it('verifies a link it signed, until it expires', async () => {
    const sig = await signPreviewLink(secret, claims)
    expect(sig).toMatch(/^[\w-]{43}$/)
    expect(await verifyPreviewLink(secret, claims, sig, now)).toEqual({ ok: true })
    expect(await verifyPreviewLink(secret, claims, sig, now + 599_000)).toEqual({ ok: true })
  })

  it('refuses the link once expired (a replay after expiry)', async () => {
    const sig = await signPreviewLink(secret, claims)
    expect(await verifyPreviewLink(secret, claims, sig, now + 600_000)).toEqual({ ok: false, reason: expect.stringContaining('expired') })
  })

  it.each([
    ['another API', { ...claims, api: 'shop' }],
    ['another path', { ...claims, to: '/admin' }],
    ['a later expiry', { ...claims, expires: claims.expires + 3600 }],
    ['an added draftKey', { ...claims, carried: { draftKey: 'abc' } }],
  ])('refuses a link altered to %s', async (_label, altered) => {
    const sig = await signPreviewLink(secret, claims)
    expect(await verifyPreviewLink(secret, altered, sig, now)).toEqual({ ok: false, reason: expect.stringContaining('does not match') })
  })

  it('refuses a link signed with another secret, and malformed signatures', async () => {
    const forged = await signPreviewLink('guessed-secret', claims)
    expect((await verifyPreviewLink(secret, claims, forged, now)).ok).toBe(false)
    for (const sig of ['', 'abc', 'not base64!', `${forged}AA`])
      expect(await verifyPreviewLink(secret, claims, sig, now)).toEqual({ ok: false, reason: expect.stringContaining('malformed') })
  })

  it('refuses a forged link before telling whether it expired', async () => {
    const forged = await signPreviewLink('guessed-secret', { ...claims, expires: 1 })
    expect(await verifyPreviewLink(secret, { ...claims, expires: 1 }, forged, now)).toEqual({ ok: false, reason: expect.stringContaining('does not match') })
  })

  it('covers the carried values whatever their order', async () => {
    const sig = await signPreviewLink(secret, { ...claims, carried: { a: '1', draftKey: 'k' } })
    expect((await verifyPreviewLink(secret, { ...claims, carried: { draftKey: 'k', a: '1' } }, sig, now)).ok).toBe(true)
  })
})

describe('secretsMatch', () => {
  it('matches only the same secret, never an empty expected one', async () => {
    expect(await secretsMatch('s3cret', 's3cret')).toBe(true)
    expect(await secretsMatch('s3cre', 's3cret')).toBe(false)
    expect(await secretsMatch('', '')).toBe(false)
  })
})
