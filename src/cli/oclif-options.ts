/**
 * What oclif is told at every run, by both entry points (bin/kubectl-safe_secret in a
 * checkout, the bundle's generated entry). oclif loads "user plugins" listed in
 * $XDG_DATA_HOME/kubectl-safe-secret/package.json and runs their hooks in this
 * process, before any command: code that could read the values a run holds. This
 * CLI has no plugins, so it loads none, and the file is not even read.
 */
export const OCLIF_LOAD_OPTIONS = { userPlugins: false, devPlugins: false } as const
