import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, startBuiltService } from './support/built-service';
import { gangguan } from './support/fixtures';

// Issue 32: the Dockerfile's runtime stage. No Docker engine runs here, so its steps are replayed in a
// temporary folder: `npm ci --omit=dev`, the build output and the migrations copied in, then
// `node dist/main.js` with NODE_ENV=production must serve (docs/operations.md "Container image").
const run = promisify(execFile);

describe('Dockerfile', () => {
  it('is multi-stage: a build stage with every dependency, a runtime stage without dev dependencies, non-root, with a health check', async () => {
    const file = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
    const stages = file.split(/^FROM /m).slice(1);
    expect(stages).toHaveLength(2);
    const [build, runtime] = stages;
    expect(build).toMatch(/^RUN npm ci$/m);
    expect(build).toMatch(/^RUN npm run build$/m);
    expect(runtime).toMatch(/^RUN npm ci --omit=dev/m);
    expect(runtime).toMatch(/^ENV NODE_ENV=production/m);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n.*\/health\/live/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/main.js"\]$/m);
    // what the runtime stage copies from the build stage exists after `npm run build`
    for (const [, from] of runtime.matchAll(/^COPY --from=build \/app\/(\S+) /gm)) expect([from, existsSync(join(ROOT, from))]).toEqual([from, true]);
    for (const built of ['dist/main.js', 'dist/console/index.html', 'dist/tracing/preload.js']) expect([built, existsSync(join(ROOT, built))]).toEqual([built, true]);
  });

  it('its runtime stage, replayed in a folder: production dependencies only, and the service serves', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'apkt-image-'));
    try {
      await cp(join(ROOT, 'package.json'), join(dir, 'package.json'));
      await cp(join(ROOT, 'package-lock.json'), join(dir, 'package-lock.json'));
      await run('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, env: { ...process.env, NODE_ENV: 'production' } });
      await cp(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
      await cp(join(ROOT, 'prisma'), join(dir, 'prisma'), { recursive: true });
      for (const dev of ['jest', 'ts-jest', 'vite', '@nestjs/testing', 'playwright-core']) expect([dev, existsSync(join(dir, 'node_modules', dev))]).toEqual([dev, false]);

      const service = await startBuiltService({ NODE_ENV: 'production', MIGRATE_ON_START: 'true' }, { root: dir });
      try {
        const put = await fetch(`${service.url}/api/v1/units/542`, {
          method: 'PUT',
          headers: await service.headers('admin', { 'content-type': 'application/json' }),
          body: JSON.stringify({ name: 'Unit 542' }),
        });
        expect(put.status).toBe(200);
        const created = await fetch(`${service.url}/api/v1/tickets`, {
          method: 'POST',
          headers: await service.headers('cso', { 'content-type': 'application/json' }),
          body: JSON.stringify(gangguan()),
        });
        expect(created.status).toBe(201);
        expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
        expect((await fetch(`${service.url}/console/`)).status).toBe(200);
        service.child.kill('SIGTERM');
        expect(await service.exited).toBe(0);
      } finally {
        service.kill();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
