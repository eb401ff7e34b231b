import { snakeCase } from 'scule'
import { describe, expect, it } from 'vitest'
import { runtimeEnvName } from '../../../src/config/env-names'
import { nuxtEnvName } from '../../../src/runtime/core/env-name'

// Nitro maps NUXT_<snakeCase(path)> onto runtimeConfig with scule; the module's own expression must
// agree on every name an API or a key can have (letters, digits, `_`, starting with a letter).
const names = ['news', 'openNews', 'memberServer', 'memberCookieToo', 'apiV2', 'v2Api', 'myAPIKey', 'HTTPApi', 'ABC', 'aBC', 'aBCd', 'a1B', 'A1Bc', 'a2bC', 'aB2c', 'blog_2', 'x_Y', 'my__x', 'baseURL', 'proxy_clientAddressHeader', 'token']

describe('nuxtEnvName', () => {
  it.each(names)('names %s as Nitro does', (name) => {
    const path = ['public', 'cmsAuth', 'apis', name, 'token']
    expect(nuxtEnvName(path)).toBe(`NUXT_${snakeCase(path.join('_')).toUpperCase()}`)
  })

  it('agrees with scule on every name of up to 6 characters from a, b, A, B, 1 and _', () => {
    const alphabet = ['a', 'b', 'A', 'B', '1', '_']
    let names = ['a', 'A']
    for (let length = 2; length <= 6; length++) {
      names = names.flatMap(name => alphabet.map(char => name + char))
      for (const name of names) {
        const path = ['cmsAuth', 'apis', name, 'baseURL']
        expect(nuxtEnvName(path), name).toBe(`NUXT_${snakeCase(path.join('_')).toUpperCase()}`)
      }
    }
  })

  it('gives the variables the README lists', () => {
    expect(runtimeEnvName('public', 'news', 'token')).toBe('NUXT_PUBLIC_CMS_AUTH_APIS_NEWS_TOKEN')
    expect(runtimeEnvName('public', 'memberServer', 'baseURL')).toBe('NUXT_PUBLIC_CMS_AUTH_APIS_MEMBER_SERVER_BASE_URL')
    expect(runtimeEnvName('private', 'contact', 'token')).toBe('NUXT_CMS_AUTH_APIS_CONTACT_TOKEN')
  })
})
