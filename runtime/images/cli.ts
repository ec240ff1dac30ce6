// `npm run images` — build labdock's images (only what is missing; --rebuild forces).
import Docker from 'dockerode';
import { ensureImages } from './ensure-images';

const rebuild = process.argv.includes('--rebuild');
const docker = new Docker();
try {
  await docker.ping();
} catch (err) {
  console.error(`No Docker engine is reachable (${(err as Error).message}): start dockerd first.`);
  process.exit(1);
}
try {
  const tags = await ensureImages(docker, {
    rebuild,
    onProgress: (e) => console.log(`[${e.image}] ${e.state}${e.elapsedMs ? ` ${(e.elapsedMs / 1000).toFixed(0)}s` : ''}: ${e.message}`),
  });
  for (const [name, tag] of Object.entries(tags)) console.log(`${name}: ${tag}`);
} catch (err) {
  console.error(`image build failed: ${(err as Error).message}`);
  process.exit(1);
}
