/**
 * What the process does before anything else, imported first by both entry
 * points (bin/kubectl-safe_secret in a checkout, the bundle's generated entry):
 * no core dump may hold a value.
 */
import { keepMemoryOutOfCoreDumps } from './core-dumps.js'

keepMemoryOutOfCoreDumps()
