/**
 * A configuration mistake the user can fix; its message names the key and the fix. It carries no
 * stack trace: Nuxt and Nitro print an error's stack, and ours would point at module internals,
 * not at the user's nuxt.config or env variable.
 */
export class CmsAuthConfigError extends Error {
  override name = 'CmsAuthConfigError'

  constructor(message: string) {
    super(message)
    this.stack = message
  }
}

export function configError(message: string): CmsAuthConfigError {
  return new CmsAuthConfigError(`[nuxt-cms-auth] ${message}`)
}
