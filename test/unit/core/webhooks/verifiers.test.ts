import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { defaultWebhookScheme, verifyWebhook, webhookVerifiers } from '../../../../src/runtime/core/webhooks'
import type { WebhookRequest } from '../../../../src/runtime/core/webhooks'

const secret = 'whsec-0123456789abcdef'
const body = '{"service":"blog","api":"posts","id":"a1","type":"edit"}'
const now = 1_750_000_000_000
const options = { secret, header: 'x-webhook-secret', tolerance: 300, now }

function request(headers: Record<string, string>, raw = body, path = '/api/_cms/_webhook/blog'): WebhookRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))
  return { method: 'POST', path, header: name => lower[name], body: new TextEncoder().encode(raw) }
}

const hex = (algorithm: string, data: string, key = secret) => createHmac(algorithm, key).update(data).digest('hex')

// Contentful's canonical request, written out as @contentful/node-apps-toolkit's signRequest builds it.
function contentfulHeaders(timestamp: number, extra: Record<string, string> = {}, raw = body, path = '/api/_cms/_webhook/blog', key = secret) {
  const headers: Record<string, string> = { ...extra, 'x-contentful-timestamp': String(timestamp) }
  const names = [...Object.keys(headers), 'x-contentful-signed-headers'].sort()
  headers['x-contentful-signed-headers'] = names.join(',')
  const canonical = ['POST', path, names.map(name => `${name}:${headers[name]}`).join(';'), raw].join('\n')
  return { ...headers, 'x-contentful-signature': hex('sha256', canonical, key) }
}

// Hygraph's, as @hygraph/utils builds it: base64 HMAC-SHA256 of {Body, EnvironmentName, TimeStamp}.
function hygraphHeader(timestamp: number, raw = body, environment = 'master', key = secret) {
  const sign = createHmac('sha256', key).update(JSON.stringify({ Body: raw, EnvironmentName: environment, TimeStamp: timestamp })).digest('base64')
  return { 'gcms-signature': `sign=${sign}, env=${environment}, t=${timestamp}` }
}

type Case = [string, keyof typeof webhookVerifiers, WebhookRequest, { ok: true } | { ok: false, status: number }]

const accept = { ok: true } as const
const unsigned = { ok: false, status: 401 } as const
const malformed = { ok: false, status: 400 } as const

describe('webhook verifiers', () => {
  it.each<Case>([
    ['microCMS: the hex HMAC-SHA256 of the body', 'microcms', request({ 'X-MICROCMS-Signature': hex('sha256', body) }), accept],
    ['microCMS: upper-case hex', 'microcms', request({ 'X-MICROCMS-Signature': hex('sha256', body).toUpperCase() }), accept],
    ['microCMS: no signature', 'microcms', request({}), unsigned],
    ['microCMS: another secret', 'microcms', request({ 'X-MICROCMS-Signature': hex('sha256', body, 'other') }), unsigned],
    ['microCMS: another body', 'microcms', request({ 'X-MICROCMS-Signature': hex('sha256', body) }, `${body} `), unsigned],
    ['Storyblok: the hex HMAC-SHA1 of the body', 'storyblok', request({ 'webhook-signature': hex('sha1', body) }), accept],
    ['Storyblok: a SHA-256 signature', 'storyblok', request({ 'webhook-signature': hex('sha256', body) }), unsigned],
    ['Storyblok: no signature', 'storyblok', request({}), unsigned],
    ['Contentful: a signed request', 'contentful', request(contentfulHeaders(now - 1000, { 'x-contentful-topic': 'ContentManagement.Entry.publish' })), accept],
    ['Contentful: a signed header changed', 'contentful', request({ ...contentfulHeaders(now, { 'x-contentful-topic': 'ContentManagement.Entry.publish' }), 'x-contentful-topic': 'ContentManagement.Entry.delete' }), unsigned],
    ['Contentful: another path', 'contentful', request(contentfulHeaders(now), body, '/api/_cms/_webhook/other'), unsigned],
    ['Contentful: another body', 'contentful', request(contentfulHeaders(now), '{}'), unsigned],
    ['Contentful: outside the replay window', 'contentful', request(contentfulHeaders(now - 301_000)), unsigned],
    ['Contentful: from the future', 'contentful', request(contentfulHeaders(now + 301_000)), unsigned],
    ['Contentful: a timestamp that is no number', 'contentful', request({ ...contentfulHeaders(now), 'x-contentful-timestamp': 'soon' }), malformed],
    ['Contentful: no signature', 'contentful', request({}), unsigned],
    ['Hygraph: a signed request', 'hygraph', request(hygraphHeader(now - 1000)), accept],
    ['Hygraph: another environment than signed', 'hygraph', request({ 'gcms-signature': hygraphHeader(now)['gcms-signature'].replace('env=master', 'env=prod') }), unsigned],
    ['Hygraph: outside the replay window', 'hygraph', request(hygraphHeader(now - 301_000)), unsigned],
    ['Hygraph: another body', 'hygraph', request(hygraphHeader(now), '{}'), unsigned],
    ['Hygraph: not sign=…, env=…, t=…', 'hygraph', request({ 'gcms-signature': 'abc' }), malformed],
    ['Hygraph: no signature', 'hygraph', request({}), unsigned],
    ['shared secret: the header holds it', 'shared-secret', request({ 'x-webhook-secret': secret }), accept],
    ['shared secret: a prefix of it', 'shared-secret', request({ 'x-webhook-secret': secret.slice(0, -1) }), unsigned],
    ['shared secret: it with more', 'shared-secret', request({ 'x-webhook-secret': `${secret}x` }), unsigned],
    ['shared secret: in another header', 'shared-secret', request({ authorization: secret }), unsigned],
  ])('%s', async (_, scheme, webhookRequest, expected) => {
    expect(await webhookVerifiers[scheme](webhookRequest, options)).toMatchObject(expected)
  })

  it.each(Object.keys(webhookVerifiers) as Array<keyof typeof webhookVerifiers>)('%s: never accepts anything without a secret', async (scheme) => {
    const forged = request({ 'x-webhook-secret': '', 'x-microcms-signature': '', 'webhook-signature': '' })
    expect(await verifyWebhook(scheme, forged, { ...options, secret: '' })).toEqual({ ok: false, status: 401, reason: 'no secret is configured' })
  })

  it.each([
    ['microcms', 'microcms'],
    ['contentful', 'contentful'],
    ['storyblok', 'storyblok'],
    ['directus', 'shared-secret'],
    ['strapi', 'shared-secret'],
    ['kuroco', 'shared-secret'],
    ['generic', 'shared-secret'],
  ] as const)('takes %s\'s scheme by default: %s', (preset, scheme) => {
    expect(defaultWebhookScheme(preset)).toBe(scheme)
  })
})
