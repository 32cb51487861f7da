import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * No Docker engine runs on the CI machines, so the image is never built here: this test reads
 * the Dockerfile and holds it to the rules of docs/deployment.md ("What is verified").
 */
const ROOT = join(__dirname, '../../..');

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}
interface Stage {
  readonly from: string;
  readonly name?: string;
  readonly instructions: Instruction[];
}

/** Joins `\` continuations, drops comments, splits into stages at each FROM. */
function parseDockerfile(text: string): { args: Instruction[]; stages: Stage[] } {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args: Instruction[] = [];
  const stages: Stage[] = [];
  for (const line of lines) {
    const [keyword, ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    if (instruction.keyword === 'FROM') {
      const [from, as, name] = rest;
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length === 0) {
      args.push(instruction);
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { args, stages };
}

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const { args, stages } = parseDockerfile(dockerfile);
const runtime = stages[stages.length - 1];
const all = (stage: Stage, keyword: string) =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
const one = (stage: Stage, keyword: string) => {
  const found = all(stage, keyword);
  expect(found).toHaveLength(1);
  return found[0];
};
const env = (stage: Stage, name: string) =>
  all(stage, 'ENV')
    .join(' ')
    .match(new RegExp(`(?:^|\\s)${name}=(\\S+)`))?.[1];

describe('Dockerfile', () => {
  it('builds in several stages from one exactly pinned Node 20 image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const baseArg = args.find((a) => a.keyword === 'ARG' && a.args.startsWith('NODE_IMAGE='));
    const base = baseArg?.args.slice('NODE_IMAGE='.length) ?? '';
    expect(base).toMatch(/^node:20\.\d+\.\d+-(bookworm|bullseye)-slim(@sha256:[0-9a-f]{64})?$/);
    for (const stage of stages) expect(stage.from).toBe('${NODE_IMAGE}');
  });

  it('compiles with the dev dependencies and leaves src/dev out of dist', () => {
    const build = stages.find((s) => all(s, 'RUN').some((r) => r.includes('npm run build')));
    expect(build).toBeDefined();
    const runs = all(build!, 'RUN').join('\n');
    expect(runs).toMatch(/npm ci(?![^\n]*--omit=dev)/);
    expect(runs).toContain('test ! -e dist/dev');
    const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8'));
    expect(tsconfig.exclude).toContain('src/dev');
  });

  it('ships only dist, package.json and production node_modules', () => {
    const copies = all(runtime, 'COPY');
    expect(copies).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^--from=\w+ \/app\/node_modules \.\/node_modules$/),
        expect.stringMatching(/^--from=\w+ \/app\/dist \.\/dist$/),
      ]),
    );
    expect(copies.some((c) => /(^|\s)\.?\/?src\b/.test(c))).toBe(false);
    const depsName = copies.find((c) => c.includes('/app/node_modules'))!.match(/--from=(\w+)/)![1];
    const deps = stages.find((s) => s.name === depsName)!;
    expect(all(deps, 'RUN').join('\n')).toMatch(/npm ci --omit=dev/);
  });

  it('runs as a numeric non-root user with files it cannot write (read-only root fs)', () => {
    const user = one(runtime, 'USER');
    expect(user).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    expect(all(runtime, 'COPY').some((c) => c.includes('--chown'))).toBe(false);
    expect(all(runtime, 'VOLUME')).toEqual([]);
    expect(all(runtime, 'RUN')).toEqual([]);
  });

  it('starts node directly in exec form and stops it with SIGTERM', () => {
    expect(JSON.parse(one(runtime, 'CMD'))).toEqual(['node', 'dist/main.js']);
    expect(all(runtime, 'ENTRYPOINT')).toEqual([]);
    expect(one(runtime, 'STOPSIGNAL')).toBe('SIGTERM');
    const main = readFileSync(join(ROOT, 'src/bootstrap.ts'), 'utf8');
    expect(main).toContain('app.enableShutdownHooks()');
  });

  it('checks health in exec form with the bundled Node script against /health/live', () => {
    const healthcheck = one(runtime, 'HEALTHCHECK');
    const cmd = healthcheck.match(/CMD (\[.*\])$/)?.[1];
    expect(cmd).toBeDefined();
    expect(JSON.parse(cmd!)).toEqual(['node', 'dist/healthcheck.js']);
    expect(dockerfile).not.toMatch(/\b(curl|wget)\b/);
    expect(readFileSync(join(ROOT, 'src/healthcheck.ts'), 'utf8')).toContain("'/health/live'");
  });

  it('exposes the HTTP and management ports it configures', () => {
    const exposed = one(runtime, 'EXPOSE').split(/\s+/);
    expect(env(runtime, 'NODE_ENV')).toBe('production');
    expect(exposed).toEqual([env(runtime, 'PORT'), env(runtime, 'MANAGEMENT_PORT')]);
  });

  it('keeps secrets, dependencies and the dev launcher out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split(/\r?\n/);
    expect(ignored).toEqual(
      expect.arrayContaining(['**/node_modules', 'dist', '.git', '.env', 'src/dev']),
    );
  });
});
