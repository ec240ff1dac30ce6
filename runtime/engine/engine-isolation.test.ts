import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import Docker from 'dockerode';
import { isolationFromInfo } from './engine-isolation';
import { detectEngines, LABDOCK_ENGINE_SOCKET } from './detect-engines';
import { loadConfig } from '../config/config';

test('isolation is read from docker info: user namespaces (with the remapped root), sysbox, or none', () => {
  assert.deepEqual(isolationFromInfo({ SecurityOptions: ['name=seccomp,profile=default', 'name=userns'], DockerRootDir: '/var/lib/labdock/docker/100000.100000', CgroupVersion: '1' }),
    { mode: 'userns', remappedRoot: { uid: 100000, gid: 100000 }, cgroupVersion: 1 });
  assert.deepEqual(isolationFromInfo({ SecurityOptions: ['name=userns'], DockerRootDir: '/d/231072.231072/', CgroupVersion: '2' }),
    { mode: 'userns', remappedRoot: { uid: 231072, gid: 231072 }, cgroupVersion: 2 });
  assert.deepEqual(isolationFromInfo({ SecurityOptions: ['name=seccomp,profile=default'], Runtimes: { runc: {}, 'sysbox-runc': {} } }), { mode: 'sysbox', cgroupVersion: 1 });
  assert.deepEqual(isolationFromInfo({ SecurityOptions: ['name=seccomp,profile=default', 'name=apparmor'], DockerRootDir: '/var/lib/docker' }), { mode: 'none', cgroupVersion: 1 });
  // Fail closed: user namespaces whose remapped root cannot be known are an error, not "isolated".
  assert.throws(() => isolationFromInfo({ SecurityOptions: ['name=userns'], DockerRootDir: '/var/lib/docker' }), /does not name the remapped root/);
});

const labdockEngine = existsSync(LABDOCK_ENGINE_SOCKET) && await new Docker({ socketPath: LABDOCK_ENGINE_SOCKET }).ping().then(() => true, () => false);
const required = process.env.LABDOCK_REQUIRE_DOCKER === '1';
if (required && !labdockEngine) throw new Error(`LABDOCK_REQUIRE_DOCKER=1 but labdock's engine (${LABDOCK_ENGINE_SOCKET}) does not answer`);

test('labdock\'s own engine isolates: user namespaces mapped to dockremap, and the host firewall is installed for it', { skip: labdockEngine ? undefined : 'labdock\'s engine is not running' }, async () => {
  const engines = await detectEngines(loadConfig({}), () => undefined);
  assert.ok(engines.docker, engines.dockerProblem);
  assert.equal(engines.isolation?.mode, 'userns');
  const sub = readFileSync('/etc/subuid', 'utf8').split('\n').find((l) => l.startsWith('dockremap:'));
  assert.ok(sub, 'dockremap has subordinate ids');
  assert.equal(engines.isolation?.mode === 'userns' && engines.isolation.remappedRoot.uid, Number(sub.split(':')[1]));
  const chain = execFileSync('iptables', ['-w', '-S', 'LABDOCK-INPUT'], { encoding: 'utf8' });
  assert.match(chain, /-A LABDOCK-INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN\n-A LABDOCK-INPUT -j DROP/);
  assert.match(execFileSync('iptables', ['-w', '-S', 'INPUT'], { encoding: 'utf8' }), /-A INPUT -i ldk\+ -j LABDOCK-INPUT/);
});

// A plain engine (the machine's own dockerd, when one runs): refused unless the operator allows it.
const plain = existsSync('/var/run/docker.sock') && await new Docker({ socketPath: '/var/run/docker.sock' }).info()
  .then((i: { SecurityOptions?: string[] }) => !(i.SecurityOptions ?? []).includes('name=userns'), () => false);

test('an engine that does not isolate is refused with what to do, unless explicitly allowed', { skip: plain ? undefined : 'no plain Docker engine at /var/run/docker.sock' }, async () => {
  const refused = await detectEngines(loadConfig({ LABDOCK_DOCKER_SOCKET_PATH: '/var/run/docker.sock' }), () => undefined);
  assert.equal(refused.docker, null);
  assert.equal(refused.isolation?.mode, 'none');
  assert.match(refused.dockerProblem ?? '', /does not isolate nodes from the host.*LABDOCK_DOCKER_ALLOW_UNISOLATED=true/s);
  const allowed = await detectEngines(loadConfig({ LABDOCK_DOCKER_SOCKET_PATH: '/var/run/docker.sock', LABDOCK_DOCKER_ALLOW_UNISOLATED: 'true' }), () => undefined);
  assert.ok(allowed.docker);
  assert.equal(allowed.isolation?.mode, 'none');
  assert.match(allowed.isolationSummary ?? '', /NOT isolated/);
});
