import { createTestDatabase, TestDatabase } from './support/test-database';
import { startServer } from './support/test-server';
import { roleSwitching } from './support/e2e-context';

describe('Prometheus metrics', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase('core.sql')));
  afterAll(() => db?.drop());

  it('counts requests by route template and status when EnableMetrics is on', async () => {
    const server = await startServer(roleSwitching(db, { EnableMetrics: true }));
    try {
      await fetch(`${server.url}/public.places/0/0/0.pbf`);
      await fetch(`${server.url}/no_such_layer_${Date.now()}/0/0/0.pbf`);
      const response = await fetch(`${server.url}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toMatch(/tilegate_http_requests_total\{method="GET",route="\/:layer\/:z\/:x\/:tile",status="200"\} 1/);
      expect(text).toMatch(/tilegate_http_requests_total\{method="GET",route="\/:layer\/:z\/:x\/:tile",status="404"\} 1/);
      expect(text).toContain('tilegate_http_request_duration_seconds_bucket');
      expect(text).not.toContain('no_such_layer');
    } finally {
      await server.close();
    }
  });

  it('has no /metrics route when EnableMetrics is off', async () => {
    const server = await startServer(roleSwitching(db));
    try {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
