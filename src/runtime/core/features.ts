/**
 * Parts of the client that only some CMSs or modes need, as constants. Here every one is on: the
 * server build and the unit tests run all of them. The browser build gets this file with the
 * app's own answers instead (config/register-features.ts), so its bundle leaves out what no
 * configured API uses.
 */

/** A direct API with `auth: 'static'`: its token goes on every request. */
export const staticTokens: boolean = true
/** A direct API whose token goes in a query parameter (Storyblok's and Ghost's keys). */
export const queryCredentials: boolean = true
/** A direct API with `auth: 'cookie'`: requests go with `credentials: 'include'`. */
export const cookieCredentials: boolean = true
/** An API whose login the server holds (`proxy` with `auth: 'dynamic'` or `'cookie'`): its session route. */
export const sessionRoutes: boolean = true
/** An API with `preview`: the route its preview requests take. */
export const previewRoutes: boolean = true
/** A direct dynamic API whose CMS hands a renewed token over in its responses (NocoBase). */
export const renewedTokens: boolean = true
/** A direct dynamic API that renews its session with the access token itself (Payload, PocketBase). */
export const selfRenewal: boolean = true
/** Refreshes shared between one server's SSR renders (refresh-handoff.ts): never in a browser. */
export const refreshHandoff: boolean = true
/** A direct dynamic API with a project key beside the user's token (Supabase's `apikey`). */
export const loginKeys: boolean = true
/**
 * The hint an error message ends with (which option to change): a production browser build keeps
 * the message and leaves the hint out; development builds, SSR and the server keep both.
 */
export const configHints: boolean = true
