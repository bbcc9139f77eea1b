import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { TilegateConfig } from '@app/config';
import { LayerRegistry } from '../catalog/layer-registry';
import { addSignInPaths } from '../auth/sign-in/sign-in-openapi';

/** Swagger UI at `/docs` and the OpenAPI 3 document at `/docs-json`, both under BasePath. */
export async function setupOpenApi(app: NestFastifyApplication, config: TilegateConfig): Promise<void> {
  const auth = config.jwt
    ? `Send \`Authorization: Bearer <JWT>\` signed with the server's secret; requests run as the role in its \`${config.jwt.roleClaimKey}\` claim. Without a token they run as \`${config.jwt.anonRole}\`.${config.jwt.issuing ? ' To get a token, call one of the sign-in functions under `auth`, then use *Authorize* with it.' : ''}`
    : 'JWT is not configured on this server: every request runs as its database login role.';
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('tilegate')
      .setDescription(
        `Vector tiles (MVT) from PostGIS. Every request runs in its own transaction as a database role, so GRANTs and row level security decide what the catalog lists and what each tile holds.\n\n${auth}\n\nErrors are JSON: \`{ code, message, details?, hint? }\`.`,
      )
      .setVersion(process.env.npm_package_version ?? '0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'a token whose role claim names the database role' }, 'bearer')
      .build(),
  );
  // Sign-in functions as the catalog knows them at start, each with a body schema from its arguments.
  if (config.jwt?.issuing) addSignInPaths(document, [...(await app.get(LayerRegistry).signInFunctions()).values()], config.basePath === '/' ? '' : config.basePath);
  SwaggerModule.setup('docs', app, document, { useGlobalPrefix: true, jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
