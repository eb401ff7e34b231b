import type { H3Event } from 'h3'
import { defineEventHandler, getQuery, sendRedirect, setResponseHeaders } from 'h3'
import { withPreviewEntry } from '../../core/preview/preview-cookie-data'
import { secretsMatch, verifyPreviewLink } from '../../core/preview/preview-link'
import { carriedLinkValues } from '../../core/preview/preview-protocol'
import { safeRedirectTarget } from '../../core/preview/redirect-target'
import { appBase, useProxyApi } from '../proxy/proxy-config'
import { sendProxyError } from '../proxy/proxy-error'
import { sessionPassword } from '../session/session-config'
import { clearPreviewCookie, readPreviewCookie, writePreviewCookie } from './preview-cookie'

/**
 * `<proxyPrefix>/_preview/<name>`: enter preview of one API, with a signed link
 * (`?to=&expires=&sig=`, createCmsPreviewLink) or the API's preview secret as a CMS's preview
 * button sends it (`?secret=&to=`); then the sealed cookie, and a redirect to a path of this site.
 * `DELETE`/`POST <proxyPrefix>/_preview`: leave every preview. Every refusal sets nothing.
 */
export default defineEventHandler(async (event) => {
  const name = event.path.split('?')[0]!.replace(/\/+$/, '').split('/_preview')[1]?.replace(/^\//, '') ?? ''
  if (!name) {
    if (event.method !== 'DELETE' && event.method !== 'POST')
      return sendProxyError(event, 405, 'Leave preview with DELETE or POST.', { allow: 'DELETE, POST' })
    clearPreviewCookie(event, appBase())
    return { preview: false }
  }
  if (event.method !== 'GET' && event.method !== 'HEAD')
    return sendProxyError(event, 405, 'Enter preview with GET (a preview link).', { allow: 'GET' })
  // API names are word characters: a %-escaped name is no link this module made (and never throws here).
  return enterPreview(event, name)
})

async function enterPreview(event: H3Event, name: string): Promise<void> {
  const preview = useProxyApi(name)?.preview
  if (!preview)
    return sendProxyError(event, 404, 'No CMS API with preview has this name.')
  if (preview.problem)
    return sendProxyError(event, 500, preview.problem)
  const query = getQuery(event)
  const to = safeRedirectTarget(query.to ?? appBase(), appBase())
  if (!to)
    return sendProxyError(event, 400, 'The preview link\'s "to" must be a path of this site (starting with a single "/").')
  const carried = carriedLinkValues(preview.protocol, query)
  const refusal = await refusalOf(name, preview.secret, query, to, carried)
  if (refusal)
    return sendProxyError(event, 403, refusal)

  const password = String(sessionPassword() ?? '')
  const data = withPreviewEntry({ apis: await readPreviewCookie(event, password) }, name, preview.maxAge, Date.now(), carried)
  await writePreviewCookie(event, password, data, appBase())
  // The link (and a secret in it) stays out of the next page's Referer and of every cache.
  setResponseHeaders(event, { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
  await sendRedirect(event, to, 302)
}

/** Why the link does not let this browser into preview, or `undefined` when it does. */
async function refusalOf(name: string, secret: string, query: Record<string, unknown>, to: string, carried: Record<string, string>): Promise<string | undefined> {
  if (typeof query.sig === 'string') {
    const expires = typeof query.expires === 'string' && /^\d{1,12}$/.test(query.expires) ? Number(query.expires) : Number.NaN
    const verdict = await verifyPreviewLink(secret, { api: name, to, expires, carried }, query.sig, Date.now())
    return verdict.ok ? undefined : verdict.reason
  }
  if (typeof query.secret === 'string')
    return await secretsMatch(query.secret, secret) ? undefined : 'The preview secret is wrong.'
  return 'A preview link needs a signature (sig, expires) or the preview secret.'
}
