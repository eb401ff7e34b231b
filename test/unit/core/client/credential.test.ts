import { describe, expect, it } from 'vitest'
import { attachCredential, credentialFor, isRequestForApi } from '../../../../src/runtime/core/client/credential'

describe('isRequestForApi', () => {
  const base = 'https://site.g.kuroco.app/rcms-api/1'

  it.each([
    ['/content/news', base],
    ['content/news', base],
    ['', base],
    ['/content/news?page=2', base],
    ['https://site.g.kuroco.app/rcms-api/1/content/news', base],
    ['https://site.g.kuroco.app/rcms-api/1/content/news', undefined],
  ])('accepts %j under its base URL (request base %j)', (request, requestBase) => {
    expect(isRequestForApi(request, requestBase, base)).toBe(true)
  })

  it.each([
    ['https://evil.example/rcms-api/1/content', base, 'another host'],
    ['http://site.g.kuroco.app/rcms-api/1/content', base, 'another scheme'],
    ['https://site.g.kuroco.app:8443/rcms-api/1/content', base, 'another port'],
    ['//evil.example/rcms-api/1/content', undefined, 'a protocol-relative URL'],
    ['/../2/content', base, 'a sibling API through ..'],
    ['/%2e%2e/2/content', base, 'a sibling API through encoded ..'],
    ['https://site.g.kuroco.app/rcms-api/10/content', undefined, 'a path that only shares a prefix'],
    ['/content', 'https://evil.example/api', 'a per-call baseURL pointing elsewhere'],
    ['/rcms-api/1/content', undefined, 'a same-origin path without the API host'],
  ] as [string, string | undefined, string][])('refuses %j (request base %j): %s', (request, requestBase) => {
    expect(isRequestForApi(request, requestBase, base)).toBe(false)
  })

  it('works with an API served by the app itself (relative base URL)', () => {
    expect(isRequestForApi('/content/news', '/mock-cms/kuroco/rcms-api/1', '/mock-cms/kuroco/rcms-api/1')).toBe(true)
    expect(isRequestForApi('https://other.example/x', '/mock-cms/kuroco/rcms-api/1', '/mock-cms/kuroco/rcms-api/1')).toBe(false)
    expect(isRequestForApi('/mock-cms/kuroco/rcms-api/2/x', undefined, '/mock-cms/kuroco/rcms-api/1')).toBe(false)
  })
})

describe('attachCredential', () => {
  it('sets a header with its prefix, replacing any value the caller set', () => {
    const target = { headers: new Headers({ Authorization: 'Bearer spoofed' }) }
    attachCredential(target, { header: 'Authorization', prefix: 'Bearer ' }, 'tok')
    expect(target.headers.get('authorization')).toBe('Bearer tok')
  })

  it('sets a header without a prefix', () => {
    const target = { headers: new Headers() }
    attachCredential(target, { header: 'X-RCMS-API-ACCESS-TOKEN' }, 'tok')
    expect(target.headers.get('x-rcms-api-access-token')).toBe('tok')
  })

  it('adds a query parameter and keeps the caller\'s query', () => {
    const target: { headers: Headers, query?: Record<string, unknown> } = { headers: new Headers(), query: { page: 2 } }
    attachCredential(target, { query: 'api_key' }, 'tok')
    expect(target.query).toEqual({ page: 2, api_key: 'tok' })
    expect([...target.headers.keys()]).toEqual([])
  })
})

describe('credentialFor', () => {
  it('puts a token in one header, with its prefix, or in one query parameter', () => {
    expect(credentialFor({ header: 'Authorization', prefix: 'Bearer ' }, 't1')).toEqual({ header: 'Authorization', value: 'Bearer t1' })
    expect(credentialFor({ header: 'X-RCMS-API-ACCESS-TOKEN' }, 't2')).toEqual({ header: 'X-RCMS-API-ACCESS-TOKEN', value: 't2' })
    expect(credentialFor({ query: 'api_key' }, 't3')).toEqual({ query: 'api_key', value: 't3' })
  })
})
