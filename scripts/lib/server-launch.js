// How tilegate's process is started, as `npm start` starts it: package.json's config.nodeFlags
// (V8) and config.mallocEnv (glibc malloc, read only at process start, hence environment).
// The demo and the benchmark start the server through this, so all three run alike.
'use strict';
const { config } = require('../../package.json');

const words = (text) => text.split(' ').filter(Boolean);

/** Node's command-line flags for the server. */
const SERVER_NODE_FLAGS = words(config.nodeFlags);

/** The environment variables config.mallocEnv sets, as an object to spread into a child's env. */
const SERVER_MALLOC_ENV = Object.fromEntries(words(config.mallocEnv).map((pair) => pair.split('=')));

module.exports = { SERVER_NODE_FLAGS, SERVER_MALLOC_ENV };
