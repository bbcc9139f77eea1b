import { Module, Provider } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { JwtStrategy } from './jwt.strategy';
import { RequestRoleGuard } from './request-role.guard';

/** The strategy exists only when a secret is configured; without one no request is authenticated. */
const jwtStrategy: Provider = {
  provide: JwtStrategy,
  inject: [TILEGATE_CONFIG],
  useFactory: (config: TilegateConfig) => (config.jwt ? new JwtStrategy(config) : null),
};

@Module({
  imports: [PassportModule.register({ session: false })],
  providers: [jwtStrategy, RequestRoleGuard],
  exports: [RequestRoleGuard],
})
export class AuthModule {}
