// Small helpers for the scripts and tests that set databases up as a superuser: the demo loader,
// the benchmark and the e2e tests. (The server itself never uses these.)
'use strict';
const { Client } = require('pg');

/** Runs `work` with a fresh connection to `url`, closing it afterwards. */
async function withClient(url, work) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** `adminUrl` pointed at `database`, optionally as another user (with `password`, or none). */
function databaseUrl(adminUrl, database, user, password) {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  if (user) {
    url.username = user;
    url.password = password ?? '';
  }
  return url.toString();
}

module.exports = { withClient, databaseUrl };
