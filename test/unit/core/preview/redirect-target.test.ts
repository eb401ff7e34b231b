import { describe, expect, it } from 'vitest'
import { safeRedirectTarget } from '../../../../src/runtime/core/preview/redirect-target'

describe('safeRedirectTarget', () => {
  it.each(['/', '/posts/draft', '/posts?id=1&draftKey=x#top', '/a/b/'])('keeps the path of this site %s', (to) => {
    expect(safeRedirectTarget(to)).toBe(to)
  })

  it.each([
    '//evil.example', '///evil.example', '/\\evil.example', '\\\\evil.example', '/a\\b', 'https://evil.example/', 'http:/evil.example',
    'javascript:alert(1)', 'evil.example', '', '/\t/evil.example', '/\n/evil.example', '/%0a', ' /x',
  ])('refuses %j', (to) => {
    // `/%0a` is a path that merely names an encoded newline: harmless, and kept.
    expect(safeRedirectTarget(to)).toBe(to === '/%0a' ? to : undefined)
  })

  it('refuses what is not a string, and paths outside the app base', () => {
    expect(safeRedirectTarget(['/a'])).toBeUndefined()
    expect(safeRedirectTarget(undefined)).toBeUndefined()
    expect(safeRedirectTarget('/shop/item', '/shop/')).toBe('/shop/item')
    expect(safeRedirectTarget('/shop', '/shop/')).toBe('/shop')
    expect(safeRedirectTarget('/other', '/shop/')).toBeUndefined()
    expect(safeRedirectTarget('/shop/../other', '/shop/')).toBeUndefined()
  })
})
