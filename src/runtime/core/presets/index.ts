import type { CmsPreset, PresetName } from './define'
import { cockpit } from './cockpit'
import { directus } from './directus'
import { generic } from './generic'
import { kuroco } from './kuroco'
import { microcms } from './microcms'
import { nocobase } from './nocobase'
import { strapi } from './strapi'

export * from './define'

export const presets: Record<PresetName, CmsPreset> = { kuroco, microcms, nocobase, cockpit, directus, strapi, generic }
