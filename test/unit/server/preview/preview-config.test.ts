import { describe, expect, it } from 'vitest'
import { redactSecrets } from '../../../../src/runtime/core/proxy/redact-secrets'
import { createPreviewApi } from '../../../../src/runtime/server/preview/preview-config'

const built = { preset: 'storyblok' as const, only: true, query: {}, headers: {}, maxAge: 3600, env: { token: 'T', secret: 'S', baseURL: 'B' } }
const input = { name: 'stories', built, baseURL: 'https://api.storyblok.com/v2/cdn', credential: { query: 'token' }, headers: {}, underAppBase: (url: string) => url }

describe('createPreviewApi', () => {
  it('names the env variable of a preview token missing on this deployment, and sends nothing', () => {
    const api = createPreviewApi({ ...input, secrets: { secret: 'a-link-secret-1' } })
    expect(api.target).toBeUndefined()
    expect(api.problem).toContain('set T')
  })

  it('hands the transport the preview token and link secret to keep out of CMS error pages', () => {
    const token = 'preview-token-abcdef'
    const api = createPreviewApi({ ...input, secrets: { token, secret: 'a-link-secret-1' } })
    const page = new TextEncoder().encode(`Not found: /v2/cdn/stories/x?token=${token}&version=draft`)
    const cleaned = new TextDecoder().decode(redactSecrets(page, api.target!.secretSpellings))
    expect(cleaned).not.toContain(token)
    expect(api.target!.secretSpellings).toContain('a-link-secret-1')
  })
})
