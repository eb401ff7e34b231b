import { describe, expect, it } from 'vitest'
import { resolveProxyPath, withCredentialQuery } from '../../../../src/runtime/core/proxy/proxy-path'

describe('resolveProxyPath: what passes, forwarded as received', () => {
  it.each([
    ['/blogs', '/blogs', '/blogs', ''],
    ['/blogs/', '/blogs/', '/blogs/', ''],
    ['', '', '', ''],
    ['/blogs?limit=2&filters=title[contains]a%26b', '/blogs', '/blogs', '?limit=2&filters=title[contains]a%26b'],
    ['/content/my%20post', '/content/my%20post', '/content/my post', ''],
    ['/content/%E6%97%A5%E6%9C%AC', '/content/%E6%97%A5%E6%9C%AC', '/content/日本', ''],
    ['/content/a.b/..c/.well-known/file.', '/content/a.b/..c/.well-known/file.', '/content/a.b/..c/.well-known/file.', ''],
    ['/rate/50%2525', '/rate/50%2525', '/rate/50%25', ''],
    ['/content/日本 語?q=日本', '/content/%E6%97%A5%E6%9C%AC%20%E8%AA%9E', '/content/日本 語', '?q=%E6%97%A5%E6%9C%AC'],
    ['/emoji/😀', '/emoji/%F0%9F%98%80', '/emoji/😀', ''],
    // Escapes that must reach the CMS as sent, not turned into syntax on the way.
    ['/slug/what%3F', '/slug/what%3F', '/slug/what?', ''],
    ['/slug/a%23b', '/slug/a%23b', '/slug/a#b', ''],
    ['/slug/a%2Fb', '/slug/a%2Fb', '/slug/a/b', ''],
    ['/slug/100%25', '/slug/100%25', '/slug/100%', ''],
    ['/slug/%41', '/slug/%41', '/slug/A', ''],
    ['/price/%C2%A5100', '/price/%C2%A5100', '/price/¥100', ''],
    ['/items?sort=a;b', '/items', '/items', '?sort=a;b'],
  ])('passes %j through as %j (decoded %j, query %j)', (rest, path, decoded, search) => {
    expect(resolveProxyPath(rest)).toEqual({ ok: true, path, decoded, search })
  })
})

/**
 * The grammar, row by row: each is a segment that at least one mainstream HTTP server (or the
 * file system behind it) resolves as `.` or `..`, or uses to leave the path some other way.
 */
describe('resolveProxyPath: segments some server resolves as . or ..', () => {
  it.each([
    // Any server (RFC 3986 §5.2.4)
    ['any', '/../admin', 'plain ..'],
    ['any', '/blogs/../../admin', 'nested ..'],
    ['any', '/./blogs', 'a . segment'],
    ['any', '/blogs/..', 'a trailing ..'],
    // Node (WHATWG URL treats %2e as a dot), Go net/http, Python (Werkzeug, Django), Ruby (Rack),
    // PHP: the path is percent-decoded once before it is cleaned.
    ['Node / WHATWG URL', '/%2e%2e/admin', 'percent-encoded ..'],
    ['Node / WHATWG URL', '/%2E%2E/admin', 'upper-case percent-encoded ..'],
    ['Node / WHATWG URL', '/.%2e/admin', 'half-encoded ..'],
    ['Node / WHATWG URL', '/%2e./admin', 'half-encoded .., the other half'],
    ['Node / WHATWG URL', '/%2e/admin', 'percent-encoded .'],
    ['Go net/http', '/blogs%2f..%2fadmin', '.. between encoded slashes (path.Clean after decoding)'],
    ['Python (Werkzeug, Django)', '/blogs/%2e%2e%2f%2e%2e%2fadmin', 'encoded ../.. in one segment'],
    ['Ruby (Rack)', '/blogs/..%2F', 'a .. that ends in an encoded slash'],
    ['PHP (built-in server, FPM)', '/%252e%252e/admin', 'double-encoded .. (decoded again by the app)'],
    // nginx: decodes, then merges and resolves; a second proxy hop decodes again.
    ['nginx', '/%25252e%25252e/admin', 'triple-encoded .. (three hops that each decode)'],
    ['nginx', '/blogs%252f..', 'a double-encoded slash before ..'],
    // Apache httpd (AllowEncodedSlashes, mod_rewrite decoding a second time)
    ['Apache httpd', '/blogs%252F%252E%252E%252Fadmin', 'a double-encoded /../'],
    ['Apache httpd', '/%2e%2e%2fetc', '.. with an encoded slash (CVE-2021-41773 shape)'],
    // Tomcat, Jetty, Spring: ;parameters are stripped from a segment before .. is resolved.
    ['Tomcat / Jetty / Spring', '/..;/admin', '..;'],
    ['Tomcat / Jetty / Spring', '/..;jsessionid=x/admin', '.. with a path parameter'],
    ['Tomcat / Jetty / Spring', '/.;x/admin', '. with a path parameter'],
    ['Tomcat / Jetty / Spring', '/%2e%2e%3b/admin', 'encoded ..;'],
    ['Tomcat / Jetty / Spring', '/blogs;x=1', 'any path parameter (refused: no preset needs one)'],
    ['Tomcat / Jetty / Spring', '/blogs%253bx', 'a double-encoded path parameter'],
    // IIS: \ is a separator, %u escapes, overlong UTF-8, trailing dots and spaces dropped.
    ['IIS', '/blogs\\..\\admin', 'a backslash'],
    ['IIS', '/blogs%5c..%5cadmin', 'an encoded backslash'],
    ['IIS', '/%u002e%u002e/admin', 'IIS %u escapes'],
    ['IIS', '/%25u002e%25u002e/admin', 'IIS %u escapes, encoded once more'],
    ['IIS', '/%c0%ae%c0%ae/admin', 'overlong UTF-8 dots'],
    ['IIS', '/%e0%80%ae%e0%80%ae/admin', 'three-byte overlong UTF-8 dots'],
    ['IIS', '/..%c0%afadmin', 'an overlong UTF-8 slash'],
    ['IIS', '/..%c1%9cadmin', 'an overlong UTF-8 backslash'],
    ['IIS', '/%25c0%25ae%25c0%25ae/admin', 'overlong UTF-8, encoded once more'],
    ['Windows file system', '/.. /admin', '.. with a trailing space'],
    ['Windows file system', '/..%20/admin', '.. with an encoded trailing space'],
    ['Windows file system', '/.../admin', 'three dots (trailing dots are dropped)'],
    ['Windows file system', '/..%09/admin', '.. with a tab'],
    ['Windows "best fit" code pages', '/..%E2%88%95admin', '.. then U+2215 DIVISION SLASH'],
    ['Windows "best fit" code pages', '/..%C2%A5admin', '.. then ¥ (0x5C, \\ in code page 932)'],
    ['Windows "best fit" code pages', '/..%E2%A7%B5admin', '.. then U+29F5 REVERSE SOLIDUS OPERATOR'],
    // Unicode normalisation (NFKC: Python unicodedata, Java Normalizer, IIS, ICU-based stacks)
    ['Unicode NFKC', '/%EF%BC%8E%EF%BC%8E/admin', 'fullwidth full stops U+FF0E'],
    ['Unicode NFKC', '/%E2%80%A5/admin', 'U+2025 TWO DOT LEADER'],
    ['Unicode NFKC', '/%E2%80%A4/admin', 'U+2024 ONE DOT LEADER'],
    ['Unicode NFKC', '/%EF%B9%92%EF%B9%92/admin', 'U+FE52 SMALL FULL STOP'],
    ['Unicode NFKC', '/..%EF%BC%8Fadmin', '.. then a fullwidth solidus U+FF0F'],
    ['Unicode NFKC', '/..%EF%BC%BCadmin', '.. then a fullwidth reverse solidus U+FF3C'],
    ['Unicode NFKC', '/..%EF%BC%9Bx/admin', '.. then a fullwidth semicolon U+FF1B'],
    ['Unicode normalisers', '/.%C2%AD./admin', 'a soft hyphen some normalisers drop'],
    ['Unicode normalisers', '/.%E2%80%8B./admin', 'a zero-width space'],
    // Decoding depth: the check gives up rather than guess.
    ['any', '/%25252525252e%25252525252e/admin', 'encoding nested past the decode limit'],
  ])('refuses for %s: %j (%s)', (_family, rest) => {
    expect(resolveProxyPath(rest)).toMatchObject({ ok: false })
  })
})

describe('resolveProxyPath: other ways out of the base path', () => {
  it.each([
    ['/blogs%00.json', 'an encoded NUL'],
    ['/blogs\u0000', 'a raw NUL'],
    ['/blogs%0d%0aX-Injected:%20yes', 'encoded CR LF'],
    ['/blogs%C2%85x', 'a C1 control character (NEL)'],
    ['//evil.example/x', 'a protocol-relative host'],
    ['/http://evil.example/x', 'an absolute URL'],
    ['/blogs//x', 'an empty segment'],
    ['/blogs/a%2F%2Fb', 'an encoded // inside a segment'],
    ['/%2Fevil.example', 'a segment that starts with an encoded /'],
    ['@evil.example/x', 'a path that does not start with /'],
    ['.evil.example/x', 'a path that extends the host name'],
    ['/blogs/%E0%A4%A', 'a malformed escape'],
    ['/blogs/%zz', 'a % that is no escape'],
    ['/blogs/%ff', 'an escape that is not UTF-8'],
    ['/blogs#frag', 'a raw #'],
    ['/blogs?x=1\r\nHost: evil', 'CR LF in the query'],
    ['/blogs?x=1#frag', 'a raw # in the query'],
  ])('refuses %j (%s)', (rest) => {
    expect(resolveProxyPath(rest)).toMatchObject({ ok: false })
  })

  it('names what was wrong', () => {
    expect(resolveProxyPath('/..;/admin')).toEqual({ ok: false, reason: 'the path has a . or .. segment' })
    expect(resolveProxyPath('/blogs;v=1')).toEqual({ ok: false, reason: expect.stringContaining('path parameter') })
    expect(resolveProxyPath('/%c0%ae')).toEqual({ ok: false, reason: expect.stringContaining('not UTF-8') })
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
