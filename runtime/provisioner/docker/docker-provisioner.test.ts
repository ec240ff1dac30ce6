import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import Docker from 'dockerode';
import { createDockerProvisioner } from './docker-provisioner';
import { provisionerSuite } from '../provisioner-suite';
import { dindHostConfig, ensureImages } from '../../images/ensure-images';
import { LABELS } from '../provisioner';

const docker = new Docker();
const reachable = await docker.ping().then(() => true, () => false);
if (!reachable && process.env.LABDOCK_REQUIRE_DOCKER === '1') throw new Error('LABDOCK_REQUIRE_DOCKER=1 but no Docker engine is reachable');
const skip = reachable ? undefined : 'no Docker engine reachable (set LABDOCK_REQUIRE_DOCKER=1 to make this an error)';
const instance = `test-${process.pid}`;
let tags: Record<string, string> = {};

before(async () => {
  if (skip) return;
  tags = await ensureImages(docker, { names: ['node'], onProgress: (e) => e.state !== 'cached' && console.log(`[images] ${e.image} ${e.state}: ${e.message}`) });
}, { timeout: 1_200_000 });

const make = async () => ({
  provisioner: createDockerProvisioner({
    docker,
    resolveImage: (n) => tags[n],
    runOptions: dindHostConfig(),
    instance,
    limits: { memoryBytes: 512 * 1024 * 1024, nanoCpus: 1e9, pidsLimit: 1024 },
  }),
});

provisionerSuite('docker', make, { nodeImage: 'node', nodesReachEachOther: true, skip });

test('docker: nodes are labelled, limited, without the host socket, and each runs its own engine', { skip, timeout: 240_000 }, async (t) => {
  const { provisioner: p } = await make();
  const id = `t${process.pid}lim`;
  t.after(() => p.destroySession(id));
  await p.createSession(id);
  await p.createNode(id, { name: 'node1', hostname: 'node1', image: 'node' });
  const info = await docker.getContainer(`labdock-${id}-node1`).inspect();
  assert.equal(info.Config.Labels[LABELS.session], id);
  assert.equal(info.Config.Labels[LABELS.node], 'node1');
  assert.equal(info.HostConfig.Memory, 512 * 1024 * 1024);
  assert.equal(info.HostConfig.PidsLimit, 1024);
  assert.equal(info.HostConfig.Privileged, false);
  assert.ok(!(info.HostConfig.Binds ?? []).some((b) => b.includes('docker.sock')), 'no host Docker socket');
  const net = await docker.getNetwork(`labdock-${id}`).inspect();
  assert.equal(net.Internal, true);
  const r = await p.exec(id, 'node1', "docker info --format '{{.Driver}} {{.Name}}' && docker volume create v1 >/dev/null && docker volume ls -q");
  assert.equal(r.output, 'overlay2 node1\nv1\n');
  // Everything goes with the session: containers, volumes, network.
  await p.destroySession(id);
  const left = await docker.listContainers({ all: true, filters: { label: [`${LABELS.session}=${id}`] } });
  const vols = (await docker.listVolumes({ filters: { label: [`${LABELS.session}=${id}`] } })).Volumes ?? [];
  assert.equal(left.length + vols.length, 0);
});
