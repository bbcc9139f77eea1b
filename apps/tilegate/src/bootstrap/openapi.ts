import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { TilegateConfig } from '@app/config';

/** Swagger UI at `/docs` and the OpenAPI 3 document at `/docs-json`, both under BasePath. */
export function setupOpenApi(app: NestFastifyApplication, config: TilegateConfig): void {
  const auth = config.jwt
    ? `Send \`Authorization: Bearer <JWT>\` signed with the server's secret; requests run as the role in its \`${config.jwt.roleClaimKey}\` claim. Without a token they run as \`${config.jwt.anonRole}\`.`
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
  SwaggerModule.setup('docs', app, document, { useGlobalPrefix: true, jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
