export interface Platform {
  os: string
  arch: string
  kind: 'sea' | 'node'
  nodePackage?: string
  codeCache?: boolean
  /** The Node.js version embedded for this platform, when not RELEASE_NODE_VERSION. */
  nodeVersion?: string
}
/** The Node.js the single executables embed. */
export declare const RELEASE_NODE_VERSION: string
export declare const PLUGIN_NAME: string
export declare const API_VERSION: string
export declare const HOMEPAGE: string
export declare const DEFAULT_BASE_URL: string
export declare const PLATFORMS: Platform[]
export declare function binName(platform: Platform): string
export declare function archiveName(version: string, platform: Platform): string
export declare function renderManifest(o: {
  version: string
  baseUrl?: string
  archives: { platform: Platform; sha256: string }[]
  header?: string
}): string
export declare function validateManifest(fileName: string, manifest: unknown): string[]

/** The parts of a krew Plugin manifest (krew.googlecontainertools.github.com/v1alpha2) the tests read. */
export interface KrewPlatform {
  selector: { matchLabels: { os: string; arch: string; [key: string]: string } }
  uri: string
  sha256: string
  files: { from: string; to: string }[]
  bin?: string
}
export interface KrewManifest {
  apiVersion: string
  kind: string
  metadata: { name: string }
  spec: {
    version: string
    homepage: string
    shortDescription?: string
    description: string
    caveats?: string
    platforms: KrewPlatform[]
  }
}
export declare const TEMPLATE_FILE: string
export declare const SHA256_PLACEHOLDER: string
export declare const COMPLETION_LINK: string
export declare const COMPLETION_UNLINK: string
export declare function renderTemplate(version: string): string
