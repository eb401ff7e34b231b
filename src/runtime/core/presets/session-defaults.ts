import type { PresetName } from './define'

const DAY = 86_400

/** What a server-held session of each preset keeps by default (docs/modes/server-session.md: "Session lifetime", "User fields"). */
export interface SessionDefaults {
  /**
   * Seconds a session lives when neither the CMS's answer nor the refresh token (a JWT) says: the
   * CMS's own documented default for its refresh tokens or sessions.
   */
  lifetime?: number
  /** The user fields the page gets; none listed: every field but secret-like ones. */
  userFields?: string[]
}

/**
 * Build-time data, baked into the server's options: nothing here reaches the browser bundle.
 * Kuroco's token answer carries the refresh token's expiry and its profile fields are the site
 * admin's choice, so it has neither; generic knows nothing about the CMS.
 */
export const sessionDefaults: Record<PresetName, SessionDefaults> = {
  kuroco: {},
  microcms: {},
  // REFRESH_TOKEN_TTL, 7 days by default.
  directus: { lifetime: 7 * DAY, userFields: ['id', 'email', 'first_name', 'last_name', 'role', 'avatar', 'language', 'status'] },
  // users-permissions sessions.idleRefreshTokenLifespan, 14 days by default (its refresh tokens are JWTs: their exp wins).
  strapi: { lifetime: 14 * DAY, userFields: ['id', 'documentId', 'username', 'email', 'confirmed', 'blocked', 'role'] },
  // Token policy sessionExpirationTime, 7 days by default.
  nocobase: { lifetime: 7 * DAY, userFields: ['id', 'email', 'nickname', 'username', 'phone', 'roles'] },
  cockpit: { userFields: ['_id', 'user', 'name', 'email', 'group', 'role', 'i18n'] },
  // Payload and PocketBase renew with the token itself: the session lasts until its `exp`, which
  // each refresh moves (TokenSet.refreshExpiresAt). Their user fields are the site's own.
  payload: {},
  pocketbase: {},
  // Refresh tokens never expire unless the project sets a time-box or an inactivity timeout.
  supabase: { userFields: ['id', 'aud', 'role', 'email', 'phone', 'email_confirmed_at', 'user_metadata', 'app_metadata'] },
  // No login.
  storyblok: {},
  contentful: {},
  ghost: {},
  wordpress: {},
  generic: {},
}
