import { describe, expect, it } from 'vitest'
import { cacheVariant, keyedRequestHeaders } from '../../../../src/runtime/core/cache/cache-key'

const keyed = [...keyedRequestHeaders, 'x-locale']
const json = { accept: 'application/json' }
const variant = (path: string, headers: Record<string, string | string[]> = json, api = 'blog') => cacheVariant(api, path, headers, keyed)

describe('cache variants', () => {
  it('are equal for the same API, raw path and query, and keyed headers, whatever else the request carries', () => {
    expect(variant('/posts?a=1', { ...json, cookie: 'a=1', authorization: 'x' })).toBe(variant('/posts?a=1', { ...json, cookie: 'b=2' }))
  })

  it.each([
    ['another API', variant('/posts?a=1', json, 'news')],
    ['another path', variant('/posts/1?a=1')],
    ['another query', variant('/posts?a=2')],
    ['no query', variant('/posts')],
    ['the query in another order', variant('/posts?b=&a=1')],
    ['another spelling of the same path (%70 is p)', variant('/%70osts?a=1')],
    ['another Accept', variant('/posts?a=1', { accept: 'text/html' })],
    ['an Accept-Language', variant('/posts?a=1', { ...json, 'accept-language': 'ja' })],
    ['a forwarded header of the API', variant('/posts?a=1', { ...json, 'x-locale': 'de' })],
  ])('differ for %s', (_, other) => {
    expect(other).not.toBe(variant('/posts?a=1'))
  })

  it('start with the API name, which the purge matches', () => {
    expect(variant('/posts').startsWith('blog\n')).toBe(true)
  })
})
