import { Module, Provider } from '@nestjs/common';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { JwtStrategy } from './jwt.strategy';
import { RequestRoleGuard } from './request-role.guard';
import { TokenVerifier } from './token-verifier';

/** The strategy exists only when a secret is configured; without one no request is authenticated. */
const jwtStrategy: Provider = {
  provide: JwtStrategy,
  inject: [TILEGATE_CONFIG, TokenVerifier],
  useFactory: (config: TilegateConfig, verifier: TokenVerifier) => (config.jwt ? new JwtStrategy(verifier) : null),
};

@Module({
  providers: [TokenVerifier, jwtStrategy, RequestRoleGuard],
  // The guard is instantiated in each controller's module, so what it injects is exported too.
  exports: [RequestRoleGuard, JwtStrategy],
})
export class AuthModule {}
