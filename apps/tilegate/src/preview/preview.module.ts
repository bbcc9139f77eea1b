import { Module } from '@nestjs/common';
import { PreviewController } from './preview.controller';
import { PreviewPages } from './preview-pages';

@Module({ controllers: [PreviewController], providers: [PreviewPages], exports: [PreviewPages] })
export class PreviewModule {}
