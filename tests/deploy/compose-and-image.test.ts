import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// No container engine runs here: the compose file is checked by Debian's docker-compose
// (`config` validates and resolves it), the balancer's config by nginx itself (`nginx -t`).
const root = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const procfile = new Map(
  read('Procfile')
    .split('\n')
    .filter((line) => line.includes(':'))
    .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()] as const),
);

interface ComposeService {
  image?: string;
  command?: string[];
  ports?: unknown[];
  depends_on?: Record<string, { condition: string }>;
  volumes?: unknown[];
  environment?: Record<string, string>;
}

const compose = parse(
  execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
    cwd: root,
    env: { ...process.env, SESSION_SECRET: 'a'.repeat(32) },
    encoding: 'utf8',
  }),
) as { services: Record<string, ComposeService> };

describe('docker-compose.yml', () => {
  it('has the backing services, the release, every Procfile type and a load balancer', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['clock', 'lb', 'postgres', 'redis', 'release', 'web', 'worker']);
  });

  it('runs each type with its Procfile command, from one image', () => {
    for (const type of ['release', 'web', 'worker', 'clock']) {
      const service = compose.services[type]!;
      expect(service.command!.join(' '), type).toBe(procfile.get(type));
      expect(service.image, type).toBe('watchpost:latest');
    }
  });

  it('migrates before any app process starts, and lets web and worker scale', () => {
    for (const type of ['web', 'worker', 'clock']) {
      expect(compose.services[type]!.depends_on?.release?.condition, type).toBe('service_completed_successfully');
      // A fixed host port would stop `--scale` from starting a second container.
      expect(compose.services[type]!.ports, type).toBeUndefined();
    }
    expect(compose.services.lb!.ports).toHaveLength(1);
    expect(JSON.stringify(compose.services.lb!.volumes)).toContain('deploy/nginx/nginx.conf');
  });

  it('keeps Redis queues safe: no eviction, append-only file', () => {
    const command = compose.services.redis!.command!.join(' ');
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(command).toContain('--appendonly yes');
  });

  it('refuses to start without a session secret', () => {
    const env = { ...process.env };
    delete env.SESSION_SECRET;
    expect(() => execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: root, env, stdio: 'pipe' })).toThrow(
      /SESSION_SECRET/,
    );
  });
});

describe('the nginx balancer', () => {
  const conf = read('deploy/nginx/nginx.conf');

  it('is a valid nginx configuration', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wp-nginx-'));
    // Node gives a child sockets, not pipes, for stdout/stderr, and nginx cannot open
    // /dev/stdout on a socket: log to files for the check.
    // `web` exists only on the compose network: point the upstream at loopback for the check.
    const local = conf
      .replaceAll('/dev/stdout', join(dir, 'access.log'))
      .replaceAll('/dev/stderr', join(dir, 'error.log'))
      .replace('server web:3000;', 'server 127.0.0.1:3000;');
    writeFileSync(join(dir, 'nginx.conf'), local);
    const result = spawnSync('nginx', ['-t', '-c', join(dir, 'nginx.conf'), '-g', `pid ${join(dir, 'nginx.pid')};`], {
      encoding: 'utf8',
    });
    expect(result.stderr).toContain('test is successful');
    expect(result.status).toBe(0);
  });

  it('balances round-robin over every web container with no stickiness', () => {
    // One upstream server name that resolves to every web container; nginx's default is round-robin.
    expect(conf).toMatch(/upstream web \{\s*server web:3000;/);
    expect(conf.match(/proxy_pass http:\/\/web;/g)).toHaveLength(2);
    expect(conf).not.toMatch(/ip_hash|sticky|\bhash\b|least_conn|random/);
  });
});

describe('the Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('builds in one stage and runs as an unprivileged user in another', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/turbo run build/);
    expect(dockerfile.split(/^FROM /m).at(-1)).toMatch(/^USER node$/m);
  });

  it('copies the manifest of every workspace before installing', () => {
    for (const dir of ['apps', 'packages']) {
      for (const name of readdirSync(join(root, dir))) {
        expect(dockerfile, `${dir}/${name}`).toContain(`COPY ${dir}/${name}/package.json ${dir}/${name}/`);
      }
    }
  });
});
