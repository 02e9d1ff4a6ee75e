/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // the generated Prisma client imports its siblings as './x.js'; in Jest they are the .ts sources
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  setupFiles: ['<rootDir>/test/support/env.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 120000,
  maxWorkers: 2,
  // A worker's heap grows by ~100 MB per e2e file (each file loads the whole app into its own module
  // registry) and a process that large takes over 500 ms to be torn down by the OS when it exits; Jest
  // waits 500 ms for its workers at the end, then prints "A worker process has failed to exit
  // gracefully" although nothing was left open (seen with both workers' exit handlers run at once).
  // A worker holding more than this after a file is replaced, so none ends the run that large.
  workerIdleMemoryLimit: '384MB',
};
