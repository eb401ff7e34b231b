import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { hmac, toBase64, toHex } from '../../../../src/runtime/core/webhooks/signature'

describe('signature helpers', () => {
  it.each(['SHA-1', 'SHA-256'] as const)('%s HMAC matches node:crypto, hex and base64', async (algorithm) => {
    const node = createHmac(algorithm.replace('-', '').toLowerCase(), 'key').update('body ✓')
    const bytes = await hmac(algorithm, 'key', 'body ✓')
    const digest = node.digest()
    expect(toHex(bytes)).toBe(digest.toString('hex'))
    expect(toBase64(bytes)).toBe(digest.toString('base64'))
  })
})
