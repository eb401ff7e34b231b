// Build-time and server-start validation share one error type (the server re-checks env overrides).
export { CmsAuthConfigError, configError } from '../runtime/core/config-error'
