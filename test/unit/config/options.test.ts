import { describe, expect, it } from 'vitest'
import { resolveOptions } from '../../../src/config/options'

describe('resolveOptions', () => {
  it('refuses a storage timeout that is not a positive number of milliseconds, and a storage mount Nitro cannot use', () => {
    const context = { nuxt: { options: { dev: true } } as never, resolve: (path: string) => path, logger: { warn: () => {}, info: () => {} } }
    for (const storageTimeout of [0, -5, 1.5, '2000'])
      expect(() => resolveOptions({ apis: {}, storageTimeout: storageTimeout as number }, context)).toThrow(/cmsAuth.storageTimeout must be a positive whole number of milliseconds/)
    expect(() => resolveOptions({ apis: {}, storage: 'cms auth/' }, context)).toThrow(/cmsAuth.storage must be the name of a Nitro storage mount/)
    expect(resolveOptions({ apis: {} }, context)).toEqual({ apis: [], proxyPrefix: '/api/_cms', storage: 'cms-auth', storageTimeout: 2000 })
  })

  it('warns about a top-level key that is cmsAuth written another way', () => {
    const warnings: string[] = []
    resolveOptions({ apis: {} }, { nuxt: { options: { dev: true, cmsauth: {} } } as never, resolve: path => path, logger: { warn: message => warnings.push(message), info: () => {} } })
    expect(warnings).toEqual([expect.stringContaining('"cmsauth", which nuxt-cms-auth does not read')])
  })
})
