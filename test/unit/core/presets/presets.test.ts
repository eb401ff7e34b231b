import { describe, expect, it } from 'vitest'
import { presetNames, presets } from '../../../../src/runtime/core/presets'

// The placements come from each vendor's documentation (../shared/protocols.md).
const expected = {
  kuroco: { header: 'X-RCMS-API-ACCESS-TOKEN' },
  microcms: { header: 'X-MICROCMS-API-KEY' },
  nocobase: { header: 'Authorization', prefix: 'Bearer ' },
  cockpit: { header: 'api-key' },
  directus: { header: 'Authorization', prefix: 'Bearer ' },
  strapi: { header: 'Authorization', prefix: 'Bearer ' },
  // A `users` collection's API key; `payload.collection` names another (test/unit/preset-setup.test.ts).
  payload: { header: 'Authorization', prefix: 'users API-Key ' },
  pocketbase: { header: 'Authorization' },
  storyblok: { query: 'token' },
  contentful: { header: 'Authorization', prefix: 'Bearer ' },
  ghost: { query: 'key' },
  wordpress: { header: 'Authorization', prefix: 'Basic ' },
  supabase: { header: 'apikey' },
  generic: { header: 'Authorization', prefix: 'Bearer ' },
}

describe('presets', () => {
  it('has one preset file per documented CMS, and nothing else', () => {
    expect(Object.keys(presets).sort()).toEqual([...presetNames].sort())
    expect(Object.keys(expected).sort()).toEqual([...presetNames].sort())
  })

  it.each(Object.entries(expected))('%s places its credential as the vendor documents', (name, placement) => {
    const preset = presets[name as keyof typeof presets]
    expect(preset.name).toBe(name)
    expect(preset.credential).toEqual(placement)
  })

  it('sends the Kuroco token without a Bearer prefix', () => {
    expect(presets.kuroco.credential.prefix ?? '').toBe('')
  })

  it('offers static keys but no login for microCMS', () => {
    expect(presets.microcms.supports).toEqual(['static'])
  })

  it('sends a login\'s token where each vendor wants it, when that differs from its key', () => {
    expect(presets.payload.dynamic!.credential).toEqual({ header: 'Authorization', prefix: 'JWT ' })
    expect(presets.supabase.dynamic!.credential).toEqual({ header: 'Authorization', prefix: 'Bearer ' })
    expect(presets.supabase.loginKey).toEqual({ header: 'apikey' })
    // PocketBase: the login token goes where its long-lived tokens go, with no scheme.
    expect(presets.pocketbase.dynamic!.credential).toBeUndefined()
  })

  it('offers only the modes each new CMS has', () => {
    expect(presets.payload.supports).toEqual(['none', 'static', 'dynamic', 'cookie'])
    expect(presets.pocketbase.supports).toEqual(['none', 'static', 'dynamic'])
    expect(presets.storyblok.supports).toEqual(['none', 'static'])
    expect(presets.contentful.supports).toEqual(['static'])
    expect(presets.ghost.supports).toEqual(['static'])
    expect(presets.supabase.supports).toEqual(['static', 'dynamic'])
    expect(presets.wordpress.supports).toEqual(['none', 'static', 'cookie'])
  })
})
