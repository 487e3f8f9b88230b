'use strict';
// Preloaded into Prism by prism.sh (NODE_OPTIONS=--require=...). Set PRISM_NO_PRELOAD=1 to skip it.
//
// Works around a Prism CLI bug (seen in @stoplight/prism-cli 5.16.0; upstream issue
// stoplightio/prism#2017): at start-up the CLI prints an example URL for every operation, and
// createQueryUriTemplate() in dist/util/paths.js does `spec.name = encodeURI(spec.name)` on the
// operation's own query-parameter objects. A parameter named `filter[user_status]` becomes
// `filter%5Buser_status%5D` for the rest of the run, so the request validator never finds it in
// the (decoded) query string and silently skips it: `filter[user_status]=bogus` and
// `page[size]=251` on GET /organizations/users are accepted. This wrapper hands the CLI copies
// of the query-parameter objects, so only the printed example sees the encoded names.
try {
  const pathsFile = require.resolve('@stoplight/prism-cli/dist/util/paths.js', { paths: [__dirname] });
  const paths = require(pathsFile);
  const original = paths.createExamplePath;
  if (typeof original !== 'function') {
    throw new Error('createExamplePath not found');
  }
  if (!original.keepsParamNames) {
    const wrapped = function createExamplePath(operation, ...rest) {
      const query = operation && operation.request && operation.request.query;
      if (!Array.isArray(query)) {
        return original.call(this, operation, ...rest);
      }
      const copy = { ...operation, request: { ...operation.request, query: query.map(q => ({ ...q })) } };
      return original.call(this, copy, ...rest);
    };
    wrapped.keepsParamNames = true;
    paths.createExamplePath = wrapped;
  }
} catch (e) {
  process.stderr.write(`keep-param-names.cjs: workaround not applied (${e.message})\n`);
}
