import { JwtConfig, parseClaimPath } from '@app/config';
import { roleFromClaims } from './role-claim';

function jwt(roleClaimKey = 'role', extra: Partial<JwtConfig> = {}): JwtConfig {
  return { anonRole: 'anon', roleClaimKey, roleClaimPath: parseClaimPath(roleClaimKey), roleMap: null, unmappedRole: 'refuse', ...extra } as JwtConfig;
}

describe('roleFromClaims', () => {
  it('takes the role claim, or the anonymous role without one', () => {
    expect(roleFromClaims({ role: 'editor' }, jwt())).toBe('editor');
    expect(roleFromClaims({ sub: 'x' }, jwt())).toBe('anon');
    expect(roleFromClaims({ role: null }, jwt())).toBe('anon');
    expect(roleFromClaims({ db_role: 'editor' }, jwt('db_role'))).toBe('editor');
  });

  it('follows claim paths, as PostgREST does', () => {
    const keycloak = { realm_access: { roles: ['tiles_editor', 'offline_access'] } };
    expect(roleFromClaims(keycloak, jwt('.realm_access.roles[0]'))).toBe('tiles_editor');
    expect(roleFromClaims(keycloak, jwt('$.realm_access.roles[1]'))).toBe('offline_access');
    expect(roleFromClaims({ 'https://example.com/claims': { role: 'web' } }, jwt("$['https://example.com/claims'].role"))).toBe('web');
    expect(roleFromClaims({ 'https://example.com/claims': { role: 'web' } }, jwt('."https://example.com/claims".role'))).toBe('web');
    expect(roleFromClaims(keycloak, jwt('.realm_access.roles[5]'))).toBe('anon');
    expect(roleFromClaims({ role: 'x' }, jwt('.__proto__.role'))).toBe('anon');
  });

  it('maps identity-provider values through JwtRoleMap, first match of a list wins', () => {
    const map = { 'Tiles.Read': 'reader', 'Tiles.Edit': 'editor' };
    expect(roleFromClaims({ roles: ['Other', 'Tiles.Edit', 'Tiles.Read'] }, jwt('roles', { roleMap: map }))).toBe('editor');
    expect(roleFromClaims({ roles: 'Tiles.Read' }, jwt('roles', { roleMap: map }))).toBe('reader');
    expect(() => roleFromClaims({ roles: ['Other'] }, jwt('roles', { roleMap: map }))).toThrow(/may not be used/);
    expect(roleFromClaims({ roles: ['Other'] }, jwt('roles', { roleMap: map, unmappedRole: 'anonymous' }))).toBe('anon');
    expect(() => roleFromClaims({ roles: ['constructor'] }, jwt('roles', { roleMap: map }))).toThrow(/may not be used/);
  });

  it('refuses values of the wrong type as invalid tokens, and impossible names as forbidden', () => {
    expect(() => roleFromClaims({ role: 1 }, jwt())).toThrow(/must be a string/);
    expect(() => roleFromClaims({ role: ['a'] }, jwt())).toThrow(/must be a string/);
    expect(() => roleFromClaims({ role: { a: 1 } }, jwt())).toThrow(/must be a string/);
    expect(() => roleFromClaims({ roles: [1, 2] }, jwt('roles', { roleMap: { a: 'b' } }))).toThrow(/list of strings/);
    expect(() => roleFromClaims({ role: '' }, jwt())).toThrow(/may not be used/);
    expect(() => roleFromClaims({ role: 'é'.repeat(32) }, jwt())).toThrow(/may not be used/);
    expect(() => roleFromClaims({ role: 'r'.repeat(10000) }, jwt())).toThrow(/may not be used/);
    expect(roleFromClaims({ role: 'a'.repeat(63) }, jwt())).toHaveLength(63);
  });
});
