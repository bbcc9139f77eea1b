// Two projects: fast unit specs beside the code, and e2e specs that start the
// real server against a real PostGIS database created for the run.
const paths = {
  '^@app/config$': '<rootDir>/libs/config/src',
  '^@app/database$': '<rootDir>/libs/database/src',
  '^@app/errors$': '<rootDir>/libs/errors/src',
};
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: paths,
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      // testTimeout is ignored inside projects, so the e2e timeout is set by a setup file.
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-timeout.ts'],
    },
  ],
};
