// Two projects: unit specs live beside the code (and beside the test helpers), e2e specs in test/ drive the apps over HTTP.
const common = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  transformIgnorePatterns: ['/node_modules/(?!(jose|openid-client|oauth4webapi)/)'],
  moduleNameMapper: {
    '^@hydrant/core$': '<rootDir>/libs/core/src',
    '^@hydrant/core/(.*)$': '<rootDir>/libs/core/src/$1',
  },
};

module.exports = {
  // Per spec file, e2e specs boot servers and child processes; unit specs finish far below this.
  testTimeout: 30000,
  projects: [
    { ...common, displayName: 'unit', rootDir: __dirname, testMatch: ['<rootDir>/{apps,libs,test/support}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // The in-process servers log into one file for the run, searched for secrets at its end (issue 14).
      globalSetup: '<rootDir>/test/support/e2e-log-setup.ts',
      globalTeardown: '<rootDir>/test/support/e2e-log-check.ts',
    },
  ],
};
