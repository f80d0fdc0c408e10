/**
 * What the process does before anything else, imported first by both entry
 * points (bin/kubectl-safe_secret in a checkout, the bundle's generated entry):
 * no core dump may hold a value, and no key typed before a prompt is echoed.
 */
import { keepMemoryOutOfCoreDumps } from './core-dumps.js'
import { hideTypeAhead } from './type-ahead.js'

keepMemoryOutOfCoreDumps()
// Shell completion (kubectl_complete-safe_secret, a link to the same executable) never prompts.
const invokedAs = [process.argv0, process.argv[1] ?? ''].map((p) => p.split(/[\\/]/).pop() ?? '')
if (!invokedAs.some((name) => name.startsWith('kubectl_complete-'))) hideTypeAhead(process.argv.slice(2))
