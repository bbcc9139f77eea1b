// e2e tests start servers, create databases and drive a browser: give them time. Unit specs keep
// jest's default, so a slow unit test still fails.
jest.setTimeout(120000);
