import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// `npm start` builds with tsconfig.build.json; a file that compiles under Jest but not there (a unit
// test beside the code, a type only Jest provides) once broke start-up on a fresh clone.
it('the production build compiles', () => {
  const tsc = join(__dirname, '..', 'node_modules', 'typescript', 'bin', 'tsc');
  expect(() => execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noEmit'], { cwd: join(__dirname, '..'), stdio: 'pipe' })).not.toThrow();
});
