import { describe, expect, it } from 'vitest'
import { forwardedRequestHeaders, forwardedResponseHeaders, pickHeaders } from '../../../../src/runtime/core/proxy/proxy-headers'
import { isCrossOriginRequest } from '../../../../src/runtime/core/proxy/request-origin'

const requestAllow = new Set(forwardedRequestHeaders)
const responseAllow = new Set(forwardedResponseHeaders)

describe('pickHeaders (request side)', () => {
  it.each([
    'authorization',
    'cookie',
    'proxy-authorization',
    'x-microcms-api-key',
    'x-rcms-api-access-token',
    'api-key',
    'cockpit-token',
    'x-forwarded-for',
    'x-forwarded-host',
    'forwarded',
    'host',
    'origin',
    'referer',
    'connection',
    'keep-alive',
    'te',
    'trailer',
    'transfer-encoding',
    'upgrade',
    'content-length',
  ])('never forwards the client\'s %s', (header) => {
    expect(pickHeaders({ [header]: 'value' }, requestAllow)).toEqual({})
  })

  it.each(['accept', 'accept-language', 'accept-encoding', 'content-type', 'if-none-match', 'if-modified-since', 'range'])('forwards %s', (header) => {
    expect(pickHeaders({ [header]: 'value' }, requestAllow)).toEqual({ [header]: 'value' })
  })

  it('drops an allowed header that the sender declared hop-by-hop in Connection', () => {
    expect(pickHeaders({ 'connection': 'close, Accept-Language', 'accept-language': 'ja', 'accept': '*/*' }, requestAllow)).toEqual({ accept: '*/*' })
  })

  it('sends each header once, joining repeated values', () => {
    expect(pickHeaders({ accept: ['text/html', 'application/json'] as unknown as string }, requestAllow)).toEqual({ accept: 'text/html, application/json' })
  })
})

describe('pickHeaders (response side)', () => {
  it.each(['set-cookie', 'location', 'connection', 'keep-alive', 'transfer-encoding', 'server', 'x-powered-by', 'www-authenticate'])('strips the CMS\'s %s', (header) => {
    expect(pickHeaders({ [header]: 'value' }, responseAllow)).toEqual({})
  })

  it.each(['content-type', 'content-length', 'content-encoding', 'etag', 'cache-control', 'content-range', 'last-modified'])('passes %s back', (header) => {
    expect(pickHeaders({ [header]: 'value' }, responseAllow)).toEqual({ [header]: 'value' })
  })
})

describe('isCrossOriginRequest', () => {
  it.each([
    [{ 'sec-fetch-site': 'same-origin' }, false],
    [{ 'sec-fetch-site': 'none' }, false],
    [{ 'sec-fetch-site': 'cross-site' }, true],
    [{ 'sec-fetch-site': 'same-site' }, true],
    [{ 'sec-fetch-site': 'cross-site', 'origin': 'https://app.example', 'host': 'app.example' }, true],
    [{ origin: 'https://app.example', host: 'app.example' }, false],
    [{ origin: 'https://evil.example', host: 'app.example' }, true],
    [{ origin: 'null', host: 'app.example' }, true],
    [{ host: 'app.example' }, false],
  ])('%j → %s', (headers, expected) => {
    expect(isCrossOriginRequest(headers)).toBe(expected)
  })
})
