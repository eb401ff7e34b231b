import { describe, expect, it } from 'vitest'
import { applySetCookies, clearCmsCookie, cmsCookieNames, cookiePrefixFor, jarCookieHeader, jarFromRequest, jarMaxAge, rewriteSetCookie, sameJar, selectCmsCookies, ssrCookieName } from '../../../../src/runtime/core/cookies/cms-cookies'

const scope = { prefix: cookiePrefixFor('0a1b2c3d4e5f'), path: '/api/_cms', pagePath: '/' }

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

describe('the cookie jar behind the sealed SSR copy', () => {
  const now = Date.parse('2026-11-23T12:00:00Z')

  it('carries the cookies a login set into the next request, with their expiry, and drops the cleared ones', () => {
    const jar = applySetCookies({}, ['kuroco_session=abc; Domain=.kuroco.app; Path=/; HttpOnly', 'lang=ja; Max-Age=60'], now)
    expect(jar).toEqual({ kuroco_session: { value: 'abc' }, lang: { value: 'ja', expires: now + 60_000 } })
    expect(jarCookieHeader(jar, now)).toBe('kuroco_session=abc; lang=ja')
    const next = applySetCookies(jar, ['kuroco_session=new; Path=/', 'lang=; Max-Age=0'], now)
    expect(jarCookieHeader(next, now)).toBe('kuroco_session=new')
    expect(jarCookieHeader(applySetCookies(next, ['kuroco_session=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT'], now), now)).toBeUndefined()
  })

  it('reads Max-Age over Expires, as browsers do, and ignores headers that are not cookies', () => {
    const jar = applySetCookies({}, ['s=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=10', 'bad name=1', '=x'], now)
    expect(jar).toEqual({ s: { value: '1', expires: now + 10_000 } })
  })

  it('takes the values the request carries on the proxy path, and only the expiries from the sealed copy', () => {
    const sealed = { kuroco_session: { value: 'old', expires: now + 5000 }, gone: { value: 'x' } }
    expect(jarFromRequest('kuroco_session=new; extra=1', sealed, now)).toEqual({ kuroco_session: { value: 'new', expires: now + 5000 }, extra: { value: '1' } })
  })

  it('stands in with the sealed copy on a page request, less what has expired', () => {
    const sealed = { kuroco_session: { value: 'abc' }, short: { value: 'x', expires: now - 1 }, long: { value: 'y', expires: now + 1000 } }
    expect(jarCookieHeader(jarFromRequest(undefined, sealed, now), now)).toBe('kuroco_session=abc; long=y')
    expect(jarFromRequest(undefined, undefined, now)).toEqual({})
  })

  it('lives as long as its longest-lived cookie, or until the browser closes', () => {
    expect(jarMaxAge({ a: { value: '1', expires: now + 1500 }, b: { value: '2', expires: now + 90_000 }, c: { value: '3' } }, now)).toBe(90)
    expect(jarMaxAge({ a: { value: '1' } }, now)).toBeUndefined()
  })

  it('compares jars by value and expiry', () => {
    expect(sameJar({ a: { value: '1' }, b: { value: '2', expires: 5 } }, { b: { value: '2', expires: 5 }, a: { value: '1' } })).toBe(true)
    expect(sameJar({ a: { value: '1' } }, { a: { value: '2' } })).toBe(false)
    expect(sameJar({ a: { value: '1' } }, { a: { value: '1', expires: 5 } })).toBe(false)
    expect(sameJar({ a: { value: '1' } }, {})).toBe(false)
  })

  it('names the sealed copy so the CMS cookie selection never picks it up', () => {
    const name = ssrCookieName(scope)
    expect(name).toBe('cms_0a1b2c3d.ssr')
    expect(selectCmsCookies(`${name}=sealed; cms_0a1b2c3d_s=1`, scope)).toBe('s=1')
  })
})
