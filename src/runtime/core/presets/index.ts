import type { CmsPreset, PresetName } from './define'
import { cockpit } from './cockpit'
import { contentful } from './contentful'
import { directus } from './directus'
import { generic } from './generic'
import { ghost } from './ghost'
import { kuroco } from './kuroco'
import { microcms } from './microcms'
import { nocobase } from './nocobase'
import { payload } from './payload'
import { pocketbase } from './pocketbase'
import { storyblok } from './storyblok'
import { strapi } from './strapi'
import { supabase } from './supabase'
import { wordpress } from './wordpress'

export * from './define'

// Build time and the server read this registry; the browser never imports it (it gets only the
// login protocols its APIs use, from a generated module: config/register-dynamic.ts).
export const presets: Record<PresetName, CmsPreset> = { kuroco, microcms, nocobase, cockpit, directus, strapi, payload, pocketbase, storyblok, contentful, ghost, wordpress, supabase, generic }
