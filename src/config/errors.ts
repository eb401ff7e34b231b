/** A configuration mistake the user can fix; its message names the key and the fix. */
export class CmsAuthConfigError extends Error {
  override name = 'CmsAuthConfigError'
}

export function configError(message: string): CmsAuthConfigError {
  return new CmsAuthConfigError(`[nuxt-cms-auth] ${message}`)
}
