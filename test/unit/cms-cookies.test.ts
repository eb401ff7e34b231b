import { describe, expect, it } from 'vitest'
import { clearCmsCookie, cmsCookieNames, cookiePrefixFor, nextCmsCookies, rewriteSetCookie, selectCmsCookies } from '../../src/runtime/core/cms-cookies'

const scope = { prefix: cookiePrefixFor('0a1b2c3d4e5f'), path: '/api/_cms' }

describe('rewriteSetCookie', () => {
  it('renames the cookie under the upstream prefix, drops Domain and scopes Path to the proxy prefix', () => {
    expect(rewriteSetCookie('kuroco_session=abc123; Domain=.kuroco.app; Path=/; HttpOnly; Secure; SameSite=None', scope, false))
      .toBe('cms_0a1b2c3d_kuroco_session=abc123; Path=/api/_cms; HttpOnly; SameSite=Lax')
  })

  it('sets Secure from the browser\'s scheme, not the CMS\'s', () => {
    expect(rewriteSetCookie('s=1; Path=/', scope, true)).toBe('cms_0a1b2c3d_s=1; Path=/api/_cms; HttpOnly; SameSite=Lax; Secure')
    expect(rewriteSetCookie('s=1; Secure', scope, false)).not.toMatch(/Secure/)
  })

  it('keeps the expiry and SameSite=Strict, and makes every cookie HttpOnly', () => {
    expect(rewriteSetCookie('s=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; SameSite=Strict; Partitioned', scope, false))
      .toBe('cms_0a1b2c3d_s=; Path=/api/_cms; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Strict')
  })

  it('keeps a value that contains "="', () => {
    expect(rewriteSetCookie('t=a=b==; Path=/x', scope, false)).toMatch(/^cms_0a1b2c3d_t=a=b==; Path=\/api\/_cms;/)
  })

  it.each(['', '=x', 'no-equals', 'bad name=1', 'a;b=1'])('refuses %j, which is not a cookie', (header) => {
    expect(rewriteSetCookie(header, scope, false)).toBeUndefined()
  })
})

describe('selectCmsCookies', () => {
  it('sends the CMS only its own cookies, under their original names', () => {
    expect(selectCmsCookies('app_session=secret; cms_0a1b2c3d_kuroco_session=abc; theme=dark; cms_0a1b2c3d_lang=ja', scope))
      .toBe('kuroco_session=abc; lang=ja')
  })

  it('never sends the cookies of another upstream or the app\'s own', () => {
    expect(selectCmsCookies('cms_ffffffff_kuroco_session=other; cms_auth_member=sealed; app=1', scope)).toBeUndefined()
    expect(selectCmsCookies(undefined, scope)).toBeUndefined()
    expect(selectCmsCookies('cms_0a1b2c3d_=empty-name', scope)).toBeUndefined()
  })

  it('lists the prefixed names a logout clears', () => {
    expect(cmsCookieNames('a=1; cms_0a1b2c3d_s=2; cms_0a1b2c3d_t=3', scope)).toEqual(['cms_0a1b2c3d_s', 'cms_0a1b2c3d_t'])
    expect(clearCmsCookie('cms_0a1b2c3d_s', scope, true)).toBe('cms_0a1b2c3d_s=; Path=/api/_cms; Max-Age=0; HttpOnly; SameSite=Lax; Secure')
  })
})

describe('nextCmsCookies', () => {
  it('carries the cookies a login set into the next request, and drops the cleared ones', () => {
    expect(nextCmsCookies(undefined, ['kuroco_session=abc; Domain=.kuroco.app; Path=/; HttpOnly'])).toBe('kuroco_session=abc')
    expect(nextCmsCookies('a=1; kuroco_session=old', ['kuroco_session=new; Path=/'])).toBe('a=1; kuroco_session=new')
    expect(nextCmsCookies('a=1; s=2', ['s=; Max-Age=0', 'a=x; max-age=0'])).toBeUndefined()
  })
})
