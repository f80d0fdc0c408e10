export interface BundledPackage {
  name: string
  version: string
  license: string
  homepage: string
  texts: { file: string; text: string }[]
}
export interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>
}
export declare const ALLOWED_LICENSES: string[]
export declare const NOTICES_FILE: string
export declare function bundledPackageDirs(metafile: Metafile): string[]
export declare function declaredLicense(pjson: unknown): string
export declare function licenseAllowed(expression: string): boolean
export declare function readPackages(root: string, dirs: string[]): BundledPackage[]
export declare function renderNotices(product: string, packages: BundledPackage[]): string
export declare function parseNotices(text: string): { name: string; version: string; license: string }[]
export declare function noticesForBundle(root: string, metafile: Metafile, product: string): string
