import { describe, expect, it } from 'vitest'
import { resolveClientAddress } from '../../../../src/runtime/core/proxy/client-address'
import { compileAddressList, isAddressAllowed, parseAddressRange } from '../../../../src/runtime/core/proxy/ip-match'

describe('isAddressAllowed', () => {
  const list = compileAddressList([
    '192.0.2.1',
    '198.51.100.0/24',
    '203.0.113.10-203.0.113.20',
    '2001:db8::/32',
    '2001:db9::1-2001:db9::ff',
    '::ffff:10.1.0.0/112',
  ])

  it.each([
    ['192.0.2.1', 'a single address'],
    ['198.51.100.0', 'the first address of a CIDR block'],
    ['198.51.100.255', 'the last address of a CIDR block'],
    ['203.0.113.10', 'the start of an a-b range'],
    ['203.0.113.20', 'the end of an a-b range'],
    ['203.0.113.15', 'inside an a-b range'],
    ['2001:db8:ffff::1', 'an IPv6 CIDR block'],
    ['2001:db9::80', 'an IPv6 range'],
    ['::ffff:192.0.2.1', 'an IPv4-mapped IPv6 address of a listed IPv4 address'],
    ['10.1.200.3', 'an IPv4 address inside an IPv4-mapped CIDR entry'],
  ])('allows %s (%s)', (address) => {
    expect(isAddressAllowed(address, list)).toBe(true)
  })

  it.each([
    ['192.0.2.2', 'the neighbour of a single address'],
    ['198.51.101.0', 'just past a CIDR block'],
    ['203.0.113.9', 'just before an a-b range'],
    ['203.0.113.21', 'just after an a-b range'],
    ['2001:dba::1', 'outside the IPv6 entries'],
    ['2001:db9::100', 'just past an IPv6 range'],
    ['::ffff:192.0.2.2', 'an IPv4-mapped address that is not listed'],
    ['not-an-ip', 'garbage'],
    ['', 'an empty address'],
    [undefined, 'no address at all'],
  ] as [string | undefined, string][])('refuses %s (%s)', (address) => {
    expect(isAddressAllowed(address, list)).toBe(false)
  })

  it.each(['192.0.2.300', '192.0.2.0/33', '192.0.2.9-192.0.2.1', '192.0.2.1-2001:db8::1', 'example.com', '10.0.0.1-'])('rejects the malformed entry %s', (entry) => {
    expect(parseAddressRange(entry)).toBeUndefined()
    expect(() => compileAddressList([entry])).toThrow(entry)
  })
})

describe('resolveClientAddress', () => {
  const trusted = compileAddressList(['10.0.0.0/8'])

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(resolveClientAddress({ socket: '198.51.100.7', forwardedFor: '192.0.2.1' }, trusted, false)).toBe('198.51.100.7')
  })

  it('ignores X-Forwarded-For entirely when no proxy is trusted', () => {
    expect(resolveClientAddress({ socket: '10.0.0.5', forwardedFor: '192.0.2.1' }, [], false)).toBe('10.0.0.5')
  })

  it('takes the hop the trusted proxy appended', () => {
    expect(resolveClientAddress({ socket: '10.0.0.5', forwardedFor: '198.51.100.7' }, trusted, false)).toBe('198.51.100.7')
  })

  it('ignores what a client wrote left of the hop the trusted proxy appended', () => {
    expect(resolveClientAddress({ socket: '10.0.0.5', forwardedFor: '192.0.2.1, 198.51.100.7' }, trusted, false)).toBe('198.51.100.7')
  })

  it('walks through a chain of trusted proxies', () => {
    expect(resolveClientAddress({ socket: '10.0.0.5', forwardedFor: '198.51.100.7, 10.0.0.9' }, trusted, false)).toBe('198.51.100.7')
  })

  it('stops at a malformed hop and keeps the last trusted proxy', () => {
    expect(resolveClientAddress({ socket: '10.0.0.5', forwardedFor: 'evil, 10.0.0.9' }, trusted, false)).toBe('10.0.0.9')
  })

  it('joins repeated X-Forwarded-For headers in order', () => {
    expect(resolveClientAddress({ socket: '10.0.0.5', forwardedFor: ['192.0.2.1', '198.51.100.7'] }, trusted, false)).toBe('198.51.100.7')
  })

  it('knows no address without a socket, whatever X-Forwarded-For says', () => {
    expect(resolveClientAddress({ forwardedFor: '198.51.100.7' }, trusted, false)).toBeUndefined()
    expect(resolveClientAddress({ forwardedFor: '198.51.100.7' }, [], false)).toBeUndefined()
  })

  it('takes the named platform header without a socket (the host set it), its last entry', () => {
    expect(resolveClientAddress({ platformHeader: '198.51.100.7' }, [], true)).toBe('198.51.100.7')
    expect(resolveClientAddress({ platformHeader: '192.0.2.1, 198.51.100.7' }, [], true)).toBe('198.51.100.7')
    expect(resolveClientAddress({ platformHeader: '2001:db8::1' }, [], true)).toBe('2001:db8::1')
  })

  it('knows no address when the named header is missing or is not an address', () => {
    expect(resolveClientAddress({}, [], true)).toBeUndefined()
    expect(resolveClientAddress({ platformHeader: 'unknown' }, [], true)).toBeUndefined()
    expect(resolveClientAddress({ platformHeader: '198.51.100.7, evil' }, [], true)).toBeUndefined()
  })

  it('believes the named header on a socket only from a trusted proxy', () => {
    expect(resolveClientAddress({ socket: '198.51.100.9', platformHeader: '192.0.2.1' }, trusted, true)).toBe('198.51.100.9')
    expect(resolveClientAddress({ socket: '198.51.100.9', platformHeader: '192.0.2.1' }, [], true)).toBe('198.51.100.9')
    expect(resolveClientAddress({ socket: '10.0.0.5', platformHeader: '192.0.2.1' }, trusted, true)).toBe('192.0.2.1')
    expect(resolveClientAddress({ socket: '10.0.0.5' }, trusted, true)).toBe('10.0.0.5')
  })
})
