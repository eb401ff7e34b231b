import { credentialFor } from '../client/credential'
import type { CredentialPlacement } from '../config-types'

/**
 * What a preset's preview changes on a request (`CmsPreset.preview`): data, plus one function for
 * a CMS whose drafts live on another host. Every preview request carries the preview credential
 * where the API's credential goes, unless `credential` says otherwise.
 */
export interface PreviewProtocol {
  /** Where the preview credential goes, when not where the API's own credential goes. */
  credential?: CredentialPlacement
  /** Query parameters every preview request gets (Storyblok `version=draft`, Strapi `status=draft`). */
  query?: Record<string, string>
  /**
   * Query parameters every proxied read (`GET`/`HEAD`) *outside* preview gets, for a CMS where any
   * reader may ask for drafts (Strapi 5 answers drafts to whoever can `find`, for every `status` but
   * `published`): the visitor's own `status`, in any form, is replaced. Writes keep theirs (a
   * Strapi `POST ?status=draft` creates a draft, without it a published entry).
   */
  published?: Record<string, string>
  /**
   * The drafts' base URL from the published one (Contentful: `cdn.contentful.com` →
   * `preview.contentful.com`); `undefined` when it cannot tell, so `preview.baseURL` must say.
   */
  baseURL?: (baseURL: string) => string | undefined
  /**
   * Values the CMS's preview link carries that each request of the preview must repeat, by the
   * link's parameter name → the request's query name (microCMS `draftKey`). Kept in the sealed
   * preview cookie, never in the page.
   */
  linkParams?: Record<string, string>
}

/** One API's preview target, computed once per server start. */
export interface PreviewTarget {
  /** Where preview requests go. */
  baseURL: string
  /** The API's extra headers, the preview options' headers and the preview credential, lower-cased. */
  headers: Record<string, string>
  /** Query parameters every preview request gets (the credential, when it is a query). */
  query: Record<string, string>
}

export interface PreviewTargetInput {
  protocol: PreviewProtocol
  /** The API's base URL (as resolved at runtime) and the one `preview.baseURL` names, or ''. */
  baseURL: string
  previewBaseURL: string
  /** The API's own placement, used when the protocol names none. */
  credential: CredentialPlacement
  /** The API's own extra headers. */
  headers: Record<string, string>
  /** `preview.query` / `preview.headers` from the options (generic, or extras for any preset). */
  options: { query: Record<string, string>, headers: Record<string, string> }
  token: string
}

/**
 * Where and with what a preview request goes; `undefined` base URL when the drafts' host is
 * unknown. Pure: the server calls it once per API at start, the unit tests per preset.
 */
export function previewTarget(input: PreviewTargetInput): PreviewTarget | { error: string } {
  const baseURL = input.previewBaseURL || (input.protocol.baseURL ? input.protocol.baseURL(input.baseURL) : input.baseURL)
  if (!baseURL)
    return { error: 'the drafts\' host cannot be told from the base URL' }
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries({ ...input.headers, ...input.options.headers }))
    headers[name.toLowerCase()] = value
  const query: Record<string, string> = { ...input.protocol.query, ...input.options.query }
  const placed = credentialFor(input.protocol.credential ?? input.credential, input.token)
  if ('query' in placed)
    query[placed.query] = placed.value
  else
    headers[placed.header.toLowerCase()] = placed.value
  return { baseURL: baseURL.replace(/\/+$/, ''), headers, query }
}

/**
 * A request's query with the preview's parameters set (an inbound one of the same name, or its
 * bracket forms `name[]` / `name[0]` that a `qs` parser reads as the same key, is replaced, so a
 * visitor's `?version=` or `?token=` cannot mix in), and the values the preview link carried
 * (`draftKey`). With the protocol's `published` as `query`, a request outside preview.
 */
export function withPreviewQuery(search: string, target: Pick<PreviewTarget, 'query'>, carried: Record<string, string> = {}): string {
  const set = { ...target.query, ...carried }
  const names = new Set(Object.keys(set))
  const kept = search.replace(/^\?/, '').split('&').filter(pair => pair !== '' && !names.has(decodeName(pair.split('=', 1)[0]!).replace(/\[.*$/s, '')))
  const added = Object.entries(set).map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
  const all = [...kept, ...added]
  return all.length ? `?${all.join('&')}` : ''
}

/** The carried values of a preview link: each `linkParams` name the link has, under its query name. */
export function carriedLinkValues(protocol: PreviewProtocol, linkQuery: Record<string, unknown>): Record<string, string> {
  const carried: Record<string, string> = {}
  for (const [param, queryName] of Object.entries(protocol.linkParams ?? {})) {
    const value = linkQuery[param]
    if (typeof value === 'string' && value && value.length <= 256)
      carried[queryName] = value
  }
  return carried
}

/**
 * What a link the server makes (`createCmsPreviewLink`'s `carried`) may carry, by the link's
 * parameter names: the protocol's `linkParams` only (an `undefined` one left out), each a string of
 * 1–256 characters, as the preview route reads them back. Anything else is refused rather than dropped: a misspelt name
 * would sign a link that silently shows no drafts.
 */
export function linkCarriedParams(protocol: PreviewProtocol, carried: Record<string, unknown>): Record<string, string> | { error: string } {
  const known = Object.keys(protocol.linkParams ?? {})
  const unknown = Object.keys(carried).filter(name => !known.includes(name))
  if (unknown.length)
    return { error: `carried has ${unknown.map(name => JSON.stringify(name)).join(', ')}, which this API's preview does not carry (${known.length ? `it carries ${known.join(', ')}` : 'it carries no values'}). Remove ${unknown.length === 1 ? 'it' : 'them'}.` }
  const params: Record<string, string> = {}
  for (const name of known.filter(name => carried[name] !== undefined)) {
    const value = carried[name]
    if (typeof value !== 'string' || !value || value.length > 256)
      return { error: `carried.${name} must be a string of 1 to 256 characters.` }
    params[name] = value
  }
  return params
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replaceAll('+', ' '))
  }
  catch {
    return name
  }
}
