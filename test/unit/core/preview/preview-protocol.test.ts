import { describe, expect, it } from 'vitest'
import { presets } from '../../../../src/runtime/core/presets'
import type { PresetName } from '../../../../src/runtime/core/presets'
import { carriedLinkValues, linkCarriedParams, previewTarget, withPreviewQuery } from '../../../../src/runtime/core/preview/preview-protocol'

const token = 'preview-token'
const noOptions = { query: {}, headers: {} }

/** A preview request for `preset` at `baseURL`: where it goes, its headers, its query after `search`. */
function previewOf(preset: PresetName, baseURL: string, search = '', carried: Record<string, string> = {}, options = noOptions, previewBaseURL = '') {
  const target = previewTarget({ protocol: presets[preset].preview!, baseURL, previewBaseURL, credential: presets[preset].credential, headers: { 'X-Extra': '1' }, options, token })
  if ('error' in target)
    return target
  return { baseURL: target.baseURL, headers: target.headers, search: withPreviewQuery(search, target, carried) }
}

describe('what preview changes, per preset', () => {
  it.each([
    ['storyblok', 'https://api.storyblok.com/v2/cdn', '?starts_with=blog', {}, {
      baseURL: 'https://api.storyblok.com/v2/cdn',
      headers: { 'x-extra': '1' },
      search: '?starts_with=blog&version=draft&token=preview-token',
    }],
    ['contentful', 'https://cdn.contentful.com/spaces/s/environments/master', '?content_type=post', {}, {
      baseURL: 'https://preview.contentful.com/spaces/s/environments/master',
      headers: { 'x-extra': '1', 'authorization': 'Bearer preview-token' },
      search: '?content_type=post',
    }],
    ['contentful', 'https://cdn.eu.contentful.com/spaces/s', '', {}, {
      baseURL: 'https://preview.eu.contentful.com/spaces/s',
      headers: { 'x-extra': '1', 'authorization': 'Bearer preview-token' },
      search: '',
    }],
    ['microcms', 'https://site.microcms.io/api/v1', '?limit=1', { draftKey: 'dk-1' }, {
      baseURL: 'https://site.microcms.io/api/v1',
      headers: { 'x-extra': '1', 'x-microcms-api-key': 'preview-token' },
      search: '?limit=1&draftKey=dk-1',
    }],
    ['directus', 'https://cms.example', '', {}, {
      baseURL: 'https://cms.example',
      headers: { 'x-extra': '1', 'authorization': 'Bearer preview-token' },
      search: '',
    }],
    ['kuroco', 'https://site.g.kuroco.app/rcms-api/1', '', {}, {
      baseURL: 'https://site.g.kuroco.app/rcms-api/1',
      headers: { 'x-extra': '1', 'x-rcms-api-access-token': 'preview-token' },
      search: '',
    }],
    ['strapi', 'https://cms.example/api', '?populate=*', {}, {
      baseURL: 'https://cms.example/api',
      headers: { 'x-extra': '1', 'authorization': 'Bearer preview-token' },
      search: '?populate=*&status=draft',
    }],
  ] as const)('%s at %s', (preset, baseURL, search, carried, expected) => {
    expect(previewOf(preset, baseURL, search, carried)).toEqual(expected)
  })

  it('generic: the token where the credential goes, plus the options\' query and headers', () => {
    expect(previewOf('generic', 'https://cms.example', '?a=1', {}, { query: { stage: 'DRAFT' }, headers: { 'X-Preview': 'yes' } })).toEqual({
      baseURL: 'https://cms.example',
      headers: { 'x-extra': '1', 'x-preview': 'yes', 'authorization': 'Bearer preview-token' },
      search: '?a=1&stage=DRAFT',
    })
  })

  it('replaces the visitor\'s own version, status, token or draftKey instead of mixing them in', () => {
    expect(previewOf('storyblok', 'https://api.storyblok.com/v2/cdn', '?version=published&token=public&cv=1')).toMatchObject({ search: '?cv=1&version=draft&token=preview-token' })
    expect(previewOf('microcms', 'https://site.microcms.io/api/v1', '?draftKey=guess', { draftKey: 'real' })).toMatchObject({ search: '?draftKey=real' })
    expect(previewOf('strapi', 'https://cms.example/api', '?status=published&st%61tus=x')).toMatchObject({ search: '?status=draft' })
  })

  it('takes preview.baseURL over the derived host, and says so when the drafts\' host is unknown', () => {
    expect(previewOf('contentful', 'http://127.0.0.1:9/contentful/cdn', '', {}, noOptions, 'http://127.0.0.1:9/contentful/preview')).toMatchObject({ baseURL: 'http://127.0.0.1:9/contentful/preview' })
    expect(previewOf('contentful', 'http://127.0.0.1:9/contentful/cdn')).toEqual({ error: expect.stringContaining('cannot be told') })
  })

  it('has a preview protocol exactly for the presets with drafts behind a second credential', () => {
    expect(Object.values(presets).filter(preset => preset.preview).map(preset => preset.name).sort())
      .toEqual(['contentful', 'directus', 'generic', 'kuroco', 'microcms', 'storyblok', 'strapi'])
  })
})

describe('carriedLinkValues', () => {
  it('keeps the preset\'s link parameters only, as short strings', () => {
    const protocol = presets.microcms.preview!
    expect(carriedLinkValues(protocol, { draftKey: 'k', secret: 's', to: '/' })).toEqual({ draftKey: 'k' })
    expect(carriedLinkValues(protocol, { draftKey: ['a', 'b'] })).toEqual({})
    expect(carriedLinkValues(protocol, { draftKey: 'x'.repeat(300) })).toEqual({})
    expect(carriedLinkValues(presets.storyblok.preview!, { draftKey: 'k' })).toEqual({})
  })
})

describe('linkCarriedParams (what createCmsPreviewLink puts into a link)', () => {
  it('keeps the preset\'s link parameters, and refuses any other name, saying what the preview carries', () => {
    expect(linkCarriedParams(presets.microcms.preview!, { draftKey: 'k' })).toEqual({ draftKey: 'k' })
    expect(linkCarriedParams(presets.microcms.preview!, {})).toEqual({})
    expect(linkCarriedParams(presets.microcms.preview!, { draftKey: undefined })).toEqual({})
    expect(linkCarriedParams(presets.microcms.preview!, { draftKey: 'k', secret: 's', to: '/x' })).toEqual({ error: 'carried has "secret", "to", which this API\'s preview does not carry (it carries draftKey). Remove them.' })
    expect(linkCarriedParams(presets.storyblok.preview!, { draftKey: 'k' })).toEqual({ error: 'carried has "draftKey", which this API\'s preview does not carry (it carries no values). Remove it.' })
  })

  it.each([[''], ['x'.repeat(257)], [['a', 'b']], [1]])('refuses a carried value the preview route would not read back: %j', (value) => {
    expect(linkCarriedParams(presets.microcms.preview!, { draftKey: value })).toEqual({ error: 'carried.draftKey must be a string of 1 to 256 characters.' })
  })
})

// Strapi 5.54, live: any reader (the Public role with `find`, any API token) gets drafts for every
// `status` but exactly `published`: `status=draft`, `status=Draft`, `status=`, `status[]=draft`,
// `status[0]=published`, `status=published&status=draft`.
describe('Strapi: drafts only in preview', () => {
  const published = (search: string) => withPreviewQuery(search, { query: presets.strapi.preview!.published! })

  it.each([
    ['', '?status=published'],
    ['?populate=*', '?populate=*&status=published'],
    ['?status=draft', '?status=published'],
    ['?status=', '?status=published'],
    ['?status%5B%5D=draft&populate=*', '?populate=*&status=published'],
    ['?status[0]=published&status[1]=draft', '?status=published'],
    ['?status=published&status=draft', '?status=published'],
    ['?st%61tus%5b%24eq%5d=draft', '?status=published'],
  ])('outside preview, %j is asked as %j', (search, expected) => {
    expect(published(search)).toBe(expected)
  })

  it('keeps parameters that only start like status', () => {
    expect(published('?statusCode=1&filters[status][$eq]=x')).toBe('?statusCode=1&filters[status][$eq]=x&status=published')
  })

  it('in preview, replaces a bracket form too instead of mixing it into an array', () => {
    expect(previewOf('strapi', 'https://cms.example', '?status[]=published')).toMatchObject({ search: '?status=draft' })
  })
})
