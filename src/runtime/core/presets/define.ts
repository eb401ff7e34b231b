/**
 * Where a CMS expects its credential: a request header (with an optional
 * value prefix such as `Bearer `) or a query parameter.
 */
export type CredentialPlacement =
  | { header: string, prefix?: string, query?: undefined }
  | { query: string, header?: undefined, prefix?: undefined }

export const presetNames = ['kuroco', 'microcms', 'nocobase', 'cockpit', 'directus', 'strapi', 'generic'] as const
export type PresetName = typeof presetNames[number]

export interface CmsPreset {
  name: PresetName
  /** What the vendor calls the credential, for error messages and docs. */
  credentialLabel: string
  /** Default placement of a static or dynamic token. */
  credential: CredentialPlacement
  /** Whether the CMS supports each auth mode (a mismatch is a build-time error). */
  supports: ReadonlyArray<'none' | 'static' | 'dynamic' | 'cookie'>
}

/** Presets are data: the folder is the catalogue, and this keeps each file the same shape. */
export function definePreset<T extends CmsPreset>(preset: T): T {
  return preset
}

export const bearer = (): CredentialPlacement => ({ header: 'Authorization', prefix: 'Bearer ' })
