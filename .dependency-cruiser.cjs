/** Import rules checked in CI (`npm run lint:imports`); no exceptions list. */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Import cycles (type-only imports included) make load order matter and hide layering.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-composition-root',
      severity: 'error',
      comment:
        'Only main.ts, the tests and the tools may import app.ts; features never import the composition root.',
      from: { path: '^src/', pathNot: '^src/main\\.ts$' },
      to: { path: '^src/app\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
