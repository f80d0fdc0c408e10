export interface Platform {
  os: string
  arch: string
  kind: 'sea' | 'node'
  nodePackage?: string
  codeCache?: boolean
}
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
    platforms: KrewPlatform[]
  }
}
