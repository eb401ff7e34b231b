/**
 * Names of fields a page never gets, at any depth: passwords (Directus answers a masked one),
 * hashes, tokens, keys, secrets, one-time-password seeds, provider credentials.
 */
export const SECRET_LIKE_FIELD = /pass(?:word|wd|phrase)?|pwd|hash|salt|token|secret|api[-_]?key|private[-_]?key|otp|tfa|2fa|mfa|credential|auth[-_]?data/i

/**
 * What a server-held session keeps of the user the CMS answered, and so what the page payload
 * carries: the `fields` listed (all top-level fields when none are), never a secret-like one.
 */
export function pickUser(user: unknown, fields: readonly string[] | undefined): unknown {
  if (!isRecord(user))
    return user ?? null
  const picked: Record<string, unknown> = {}
  for (const key of fields ?? Object.keys(user)) {
    if (key in user && !SECRET_LIKE_FIELD.test(key))
      picked[key] = withoutSecrets(user[key])
  }
  return picked
}

function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value))
    return value.map(withoutSecrets)
  if (!isRecord(value))
    return value
  return Object.fromEntries(Object.entries(value).filter(([key]) => !SECRET_LIKE_FIELD.test(key)).map(([key, inner]) => [key, withoutSecrets(inner)]))
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
