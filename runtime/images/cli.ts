// `npm run images` — build labdock's images from Debian packages, one progress line per step (made for CI logs).
//   tsx runtime/images/cli.ts              build only what is missing or out of date
//   tsx runtime/images/cli.ts --rebuild    build everything again, without the layer cache
//   tsx runtime/images/cli.ts node hub     only these images
import { existsSync } from 'node:fs';
import Docker from 'dockerode';
import { LABDOCK_ENGINE_SOCKET } from '../engine/detect-engines';
import { ensureImages, formatImageProgress } from './ensure-images';
import { IMAGES, type ImageName } from './image-set';

const args = process.argv.slice(2);
const rebuild = args.includes('--rebuild');
const names = args.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !(n in IMAGES));
if (unknown.length) {
  console.error(`unknown image ${unknown.join(', ')}: labdock builds ${Object.keys(IMAGES).join(', ')}`);
  process.exit(2);
}

// labdock's own isolating engine when it runs (and DOCKER_HOST does not say otherwise): nodes run there.
const docker = !process.env.DOCKER_HOST && existsSync(LABDOCK_ENGINE_SOCKET) ? new Docker({ socketPath: LABDOCK_ENGINE_SOCKET }) : new Docker();
try {
  await docker.ping();
} catch (err) {
  console.error(`No Docker engine is reachable (${(err as Error).message}): start dockerd first.`);
  process.exit(1);
}
const started = Date.now();
try {
  const tags = await ensureImages(docker, {
    rebuild,
    ...(names.length ? { names: names as ImageName[] } : {}),
    onProgress: (e) => console.log(formatImageProgress(e)),
  });
  for (const [name, tag] of Object.entries(tags)) console.log(`${name}: ${tag}`);
  console.log(`images ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
} catch (err) {
  console.error(`image build failed: ${(err as Error).message}`);
  process.exit(1);
}
