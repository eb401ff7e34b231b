export const news = [
  { topics_id: 1, subject: 'Kuroco static token reached the CMS', ymd: '2026-11-01' },
  { topics_id: 2, subject: 'Second news item', ymd: '2026-11-02' },
]

/** Kuroco api_id 2, security "none": nothing in it claims a credential was sent, as none is. */
export const openNews = [
  { topics_id: 11, subject: 'Open news: this API needs no credential', ymd: '2026-11-03' },
  { topics_id: 12, subject: 'Second open news item', ymd: '2026-11-04' },
]

export const blogs = [
  { id: 'first-post', title: 'microCMS API key sent as X-MICROCMS-API-KEY' },
  { id: 'second-post', title: 'Another microCMS post' },
]

export const articles = [
  { id: 1, title: 'Directus static token sent as a Bearer token' },
  { id: 2, title: 'Another Directus article' },
]

/** Drafts: only a preview credential (and microCMS's draftKey) reads them. */
export const draftNews = { topics_id: 3, subject: 'Kuroco draft news (unpublished)', ymd: '2026-11-05' }
export const draftBlog = { id: 'draft-post', title: 'microCMS draft post (unpublished)', draftKey: 'demo-draft-key-1' }
export const draftArticle = { id: 3, title: 'Directus draft article (unpublished)', status: 'draft' }
