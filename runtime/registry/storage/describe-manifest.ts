/**
 * What the tags API says about a tag's manifest, read from Distribution's
 * storage (the manifest and its image config are small blobs): media type,
 * total size, layer count, and the platform from the image config. A manifest
 * list or index reports its platforms instead.
 *
 *   describeManifest(storage, 'sha256:…')
 *   // { digest, mediaType, size, layers: 2, os: 'linux', architecture: 'amd64', created: '2017-…' }
 */
import type { RegistryStorage } from './registry-storage';

export interface ManifestSummary {
  digest: string;
  mediaType: string;
  /** Bytes of the config and every layer (compressed), as a pull would fetch them. */
  size: number;
  layers: number;
  os?: string;
  architecture?: string;
  created?: string;
  platforms?: string[];
}

interface Descriptor {
  mediaType?: string;
  digest?: string;
  size?: number;
  platform?: { os?: string; architecture?: string };
}

export function describeManifest(storage: RegistryStorage, digest: string): ManifestSummary | null {
  const raw = storage.readBlob(digest);
  if (!raw) return null;
  let manifest: { mediaType?: string; config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[] };
  try {
    manifest = JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
  const mediaType = manifest.mediaType ?? (manifest.manifests ? 'application/vnd.oci.image.index.v1+json' : 'application/vnd.oci.image.manifest.v1+json');
  if (manifest.manifests) {
    return { digest, mediaType, size: raw.length, layers: 0, platforms: manifest.manifests.map((m) => `${m.platform?.os ?? '?'}/${m.platform?.architecture ?? '?'}`) };
  }
  const layers = manifest.layers ?? [];
  const summary: ManifestSummary = { digest, mediaType, size: (manifest.config?.size ?? 0) + layers.reduce((n, l) => n + (l.size ?? 0), 0), layers: layers.length };
  const config = manifest.config?.digest ? storage.readBlob(manifest.config.digest) : null;
  if (config) {
    try {
      const c = JSON.parse(config.toString('utf8')) as { os?: string; architecture?: string; created?: string };
      Object.assign(summary, { os: c.os, architecture: c.architecture, created: c.created });
    } catch {
      // Not an image config (an artifact): the summary stands without a platform.
    }
  }
  return summary;
}
