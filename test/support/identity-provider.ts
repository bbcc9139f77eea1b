import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, JWK, KeyLike, SignJWT } from 'jose';

interface SigningKey {
  kid: string;
  alg: string;
  privateKey: KeyLike;
  publicJwk: JWK;
}

/**
 * A stand-in identity provider on 127.0.0.1: an OpenID configuration and a JWK set, with keys
 * made in the test, that can be rotated, withdrawn or made unreachable mid-test, and that counts
 * how often its JWK set is fetched.
 */
export class IdentityProvider {
  private server: Server | undefined;
  private readonly keys = new Map<string, SigningKey>();
  private readonly published = new Set<string>();
  jwksFetches = 0;
  requests: string[] = [];
  down = false;
  baseUrl = '';

  get issuer(): string {
    return `${this.baseUrl}/realms/tilegate`;
  }

  get jwksUrl(): string {
    return `${this.issuer}/protocol/openid-connect/certs`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.answer(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Makes a key; published in the JWK set unless `publish` is false. */
  async addKey(kid: string, alg: string, options: { publish?: boolean; crv?: string } = {}): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { crv: options.crv, extractable: true });
    const key = { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
    this.keys.set(kid, key);
    if (options.publish !== false) this.published.add(kid);
    return key;
  }

  withdraw(kid: string): void {
    this.published.delete(kid);
  }

  /** A token signed by `kid`, with any extra protected header fields (kid, jku, x5u...). */
  sign(kid: string, claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
    const key = this.keys.get(kid)!;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: this.issuer, iat: now, exp: now + 3600, ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header })
      .sign(key.privateKey);
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push(req.url ?? '');
    if (this.down) {
      res.writeHead(503).end();
      return;
    }
    const json = (body: unknown) => void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/realms/tilegate/.well-known/openid-configuration') {
      json({ issuer: this.issuer, jwks_uri: this.jwksUrl });
    } else if (req.url === '/realms/tilegate/protocol/openid-connect/certs') {
      this.jwksFetches++;
      json({ keys: [...this.published].map((kid) => this.keys.get(kid)!.publicJwk) });
    } else {
      res.writeHead(404).end();
    }
  }
}
