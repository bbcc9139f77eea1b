import { Injectable } from '@nestjs/common';
import type { Layer } from '../catalog/layer.types';

/**
 * Which layers' data changes tilegate hears of (the invalidation triggers of
 * sql/tile-cache-invalidation.sql, while the listening connection is up), and who to tell when
 * one changes or when changes may have gone unheard.
 */
@Injectable()
export class WatchedLayers {
  private readonly changeHandlers: Array<(layerIds: string[]) => void> = [];
  private readonly lostHandlers: Array<() => void> = [];

  isWatched(_layer: Layer): boolean {
    return false;
  }

  onChange(handler: (layerIds: string[]) => void): void {
    this.changeHandlers.push(handler);
  }

  onLost(handler: () => void): void {
    this.lostHandlers.push(handler);
  }
}
