import { Module } from '@nestjs/common';
import { AuthModule } from '../auth.module';
import { CatalogModule } from '../../catalog/catalog.module';
import { SignInController } from './sign-in.controller';
import { SignInService } from './sign-in.service';
import { JwksController } from './jwks.controller';

/** Tokens from the database (JwtTypeIdentifier), whoami, and the signing key's public half. */
@Module({
  imports: [AuthModule, CatalogModule],
  controllers: [SignInController, JwksController],
  providers: [SignInService],
})
export class SignInModule {}
