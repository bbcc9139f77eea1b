import { entryRedisKey, freshEpoch, generationField, redisKeys, tagFitsLayers } from './redis-keys';

describe('redis keys', () => {
  it('keeps every key of a namespace under tilegate:{namespace}:', () => {
    const keys = redisKeys('db1');
    expect(keys.state).toBe('tilegate:db1:state');
    expect(entryRedisKey(keys, 'eAbC:g0,3', 'roads/1/2/3')).toBe('tilegate:db1:eAbC:g0,3:roads/1/2/3');
    expect(generationField('public.roads')).toBe('gen:public.roads');
  });

  it('makes epochs that do not repeat and fit in a tag', () => {
    const epochs = new Set(Array.from({ length: 1000 }, freshEpoch));
    expect(epochs.size).toBe(1000);
    for (const epoch of epochs) expect(tagFitsLayers(`e${epoch}:g0`, 1)).toBe(true);
  });

  it('accepts only tags with one generation per layer', () => {
    expect(tagFitsLayers('eX1:g', 0)).toBe(true);
    expect(tagFitsLayers('eX1:g4', 1)).toBe(true);
    expect(tagFitsLayers('eX1:g4,0,2', 3)).toBe(true);
    expect(tagFitsLayers('eX1:g4,0', 3)).toBe(false);
    expect(tagFitsLayers('eX1:g4,,2', 3)).toBe(false);
    expect(tagFitsLayers('eX:1:g4', 1)).toBe(false);
    expect(tagFitsLayers('', 0)).toBe(false);
  });
});
