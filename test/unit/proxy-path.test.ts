import { describe, expect, it } from 'vitest'
import { resolveProxyPath, withCredentialQuery } from '../../src/runtime/core/proxy-path'

describe('resolveProxyPath', () => {
  it.each([
    ['/blogs', '/blogs', '/blogs', ''],
    ['/blogs/', '/blogs/', '/blogs/', ''],
    ['', '', '', ''],
    ['/blogs?limit=2&filters=title[contains]a%26b', '/blogs', '/blogs', '?limit=2&filters=title[contains]a%26b'],
    ['/content/my%20post', '/content/my%20post', '/content/my post', ''],
    ['/content/%E6%97%A5%E6%9C%AC', '/content/%E6%97%A5%E6%9C%AC', '/content/日本', ''],
    ['/content/a.b/..c/...', '/content/a.b/..c/...', '/content/a.b/..c/...', ''],
    ['/rate/50%2525', '/rate/50%2525', '/rate/50%25', ''],
    ['/content/日本 語?q=日本', '/content/%E6%97%A5%E6%9C%AC%20%E8%AA%9E', '/content/日本 語', '?q=%E6%97%A5%E6%9C%AC'],
    ['/emoji/😀', '/emoji/%F0%9F%98%80', '/emoji/😀', ''],
  ])('passes %j through as %j (decoded %j, query %j)', (rest, path, decoded, search) => {
    expect(resolveProxyPath(rest)).toEqual({ ok: true, path, decoded, search })
  })

  it.each([
    ['/../admin', 'plain ..'],
    ['/blogs/../../admin', 'nested ..'],
    ['/./blogs', 'a . segment'],
    ['/%2e%2e/admin', 'percent-encoded ..'],
    ['/%2E%2E/admin', 'upper-case percent-encoded ..'],
    ['/.%2e/admin', 'half-encoded ..'],
    ['/%252e%252e/admin', 'double-encoded ..'],
    ['/%25252e%25252e/admin', 'triple-encoded ..'],
    ['/blogs%2f..%2fadmin', 'an encoded slash'],
    ['/blogs%252f..', 'a double-encoded slash'],
    ['/blogs\\..\\admin', 'a backslash'],
    ['/blogs%5c..%5cadmin', 'an encoded backslash'],
    ['/blogs%00.json', 'an encoded NUL'],
    ['/blogs\u0000', 'a raw NUL'],
    ['/blogs%0d%0aX-Injected:%20yes', 'encoded CR LF'],
    ['//evil.example/x', 'a protocol-relative host'],
    ['/http://evil.example/x', 'an absolute URL'],
    ['/blogs//x', 'an empty segment'],
    ['@evil.example/x', 'a path that does not start with /'],
    ['.evil.example/x', 'a path that extends the host name'],
    ['/blogs/%E0%A4%A', 'a malformed escape'],
    ['/blogs?x=1\r\nHost: evil', 'CR LF in the query'],
    ['/%25252525252e%25252525252e/admin', 'encoding nested past the decode limit'],
  ])('refuses %j (%s)', (rest) => {
    expect(resolveProxyPath(rest).ok).toBe(false)
  })
})

describe('withCredentialQuery', () => {
  it.each([
    ['', '', ''],
    ['?a=1', '', '?a=1'],
    ['', 'api_key=secret', '?api_key=secret'],
    ['?', 'api_key=secret', '?api_key=secret'],
    ['?a=1&b=%E6%97%A5', 'api_key=secret', '?a=1&b=%E6%97%A5&api_key=secret'],
    ['?api_key=client&a=1', 'api_key=secret', '?a=1&api_key=secret'],
    ['?a=1&api%5Fkey=client&api_key&api_key=x', 'api_key=secret', '?a=1&api_key=secret'],
    ['?api_keys=1&%ZZ=2', 'api_key=secret', '?api_keys=1&%ZZ=2&api_key=secret'],
  ])('%j + %j → %j', (search, credential, expected) => {
    expect(withCredentialQuery(search, credential)).toBe(expected)
  })
})
