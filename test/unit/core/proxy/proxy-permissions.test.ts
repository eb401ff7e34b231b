import { describe, expect, it } from 'vitest'
import { matchPathPattern, matchPermission } from '../../../../src/runtime/core/proxy/proxy-permissions'
import type { Permissions } from '../../../../src/runtime/core/proxy/proxy-permissions'

describe('matchPathPattern', () => {
  it.each([
    ['/inquiries', '/inquiries', true],
    ['/inquiries', '/inquiries/', true],
    ['/inquiries', '/inquiries/1', false],
    ['/blogs/*', '/blogs/first', true],
    ['/blogs/*', '/blogs', false],
    ['/blogs/*', '/blogs/a/b', false],
    ['/content/**', '/content', true],
    ['/content/**', '/content/a/b/c', true],
    ['/content/**', '/contents/a', false],
    ['/**/drafts', '/a/b/drafts', true],
    ['/**/drafts', '/drafts', true],
    ['/**', '/anything/at/all', true],
  ])('%s against %s → %s', (pattern, path, expected) => {
    expect(matchPathPattern(pattern, path)).toBe(expected)
  })
})

describe('matchPermission', () => {
  // microCMS-style: GET everywhere, POST only on /inquiries, nothing under /admin.
  const permissions: Permissions = {
    methods: ['GET'],
    rules: [
      { path: '/inquiries', methods: ['POST'] },
      { path: '/admin/**', methods: [] },
    ],
  }

  it('allows the default methods on paths no rule matches, and HEAD with GET', () => {
    expect(matchPermission(permissions, 'GET', '/blogs')).toEqual({ allowed: true })
    expect(matchPermission(permissions, 'HEAD', '/blogs')).toEqual({ allowed: true })
  })

  it('answers 405 with the allowed methods for a method outside the set', () => {
    expect(matchPermission(permissions, 'POST', '/blogs')).toEqual({ allowed: false, status: 405, allow: ['GET', 'HEAD'] })
    expect(matchPermission(permissions, 'delete', '/blogs/1')).toEqual({ allowed: false, status: 405, allow: ['GET', 'HEAD'] })
  })

  it('lets the first matching rule replace the defaults', () => {
    expect(matchPermission(permissions, 'POST', '/inquiries')).toEqual({ allowed: true })
    expect(matchPermission(permissions, 'GET', '/inquiries')).toEqual({ allowed: false, status: 405, allow: ['POST'] })
  })

  it('forbids a path whose rule allows no method (403)', () => {
    expect(matchPermission(permissions, 'GET', '/admin/users')).toEqual({ allowed: false, status: 403 })
    expect(matchPermission(permissions, 'GET', '/admin')).toEqual({ allowed: false, status: 403 })
  })

  it('forbids every path when the defaults are empty and no rule matches', () => {
    expect(matchPermission({ methods: [], rules: [{ path: '/inquiries', methods: ['POST'] }] }, 'GET', '/blogs')).toEqual({ allowed: false, status: 403 })
  })
})
