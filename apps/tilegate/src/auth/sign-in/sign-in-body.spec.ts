import type { SignInFunction } from '../../catalog/layer.types';
import { limiterUserName, signInCall } from './sign-in-body';

const fn = {
  id: 'auth.authenticate',
  arguments: [
    { name: 'email', type: 'text', cast: '"pg_catalog"."text"', default: null },
    { name: 'password', type: 'text', cast: '"pg_catalog"."text"', default: null },
    { name: 'remember', type: 'boolean', cast: '"pg_catalog"."bool"', default: 'false' },
  ],
} as SignInFunction;

describe('signInCall', () => {
  it('binds the body by argument name, and names the user by the email', () => {
    expect(signInCall({ email: 'Ana@Example.com', password: 'p', remember: true }, fn)).toEqual({
      args: [
        { name: 'email', cast: '"pg_catalog"."text"', value: 'Ana@Example.com' },
        { name: 'password', cast: '"pg_catalog"."text"', value: 'p' },
        { name: 'remember', cast: '"pg_catalog"."bool"', value: 'true' },
      ],
      userName: 'ana@example.com',
    });
  });

  it.each([
    [['a'], /JSON object/],
    [null, /JSON object/],
    [{ email: 'a' }, /'password': required/],
    [{ email: 'a', password: 'b', admin: true }, /'admin': not an argument/],
    [{ email: 'a\u0000', password: 'b' }, /NUL/],
    [{ email: 'a', password: 'b', remember: 'perhaps' }, /true or false/],
  ])('refuses %p', (body, message) => {
    expect(() => signInCall(body, fn)).toThrow(message);
  });
});

describe('limiterUserName', () => {
  it('gives every spelling a database may take for one user one budget', () => {
    // PostgreSQL lower()s 'fİeld' to 'field'; JavaScript's toLowerCase alone gives 'fi̇eld'.
    expect(limiterUserName('fİeld@demo.example')).toBe('field@demo.example');
    expect(limiterUserName('FIELD@demo.example')).toBe('field@demo.example');
    expect(limiterUserName('ﬁeld@demo.example')).toBe('field@demo.example');
    expect(limiterUserName('fíeld@demo.example')).toBe('field@demo.example');
    expect(limiterUserName('x'.repeat(300))).toHaveLength(256);
  });
});
