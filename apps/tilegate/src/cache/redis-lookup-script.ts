// The lookup in one round trip, run atomically by Redis: read the epoch and the layers'
// generations, build the entry's key from them and GET it. Returning the tag lets set() store a
// freshly rendered tile under the generations that were current BEFORE it was rendered, so a tile
// rendered across an invalidation lands under the old tag and is never read.
//
// KEYS[1]  the state hash
// ARGV[1]  an epoch to install when the hash has none (first use, eviction, flush, restart)
// ARGV[2]  the entry prefix, ARGV[3] the entry key, ARGV[4..] the layers' generation fields
// returns  { tag, bytes, ms to live } on a hit, { tag } on a miss
//
// The entry's key is built inside the script, so this is for a standalone Redis (or one behind
// Sentinel), not Redis Cluster.
export const LOOKUP_LUA = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[1]
  redis.call('HSET', KEYS[1], 'epoch', epoch)
end
local gens = {}
for i = 4, #ARGV do
  gens[#gens + 1] = redis.call('HGET', KEYS[1], ARGV[i]) or '0'
end
local tag = 'e' .. epoch .. ':g' .. table.concat(gens, ',')
local key = ARGV[2] .. tag .. ':' .. ARGV[3]
local bytes = redis.call('GET', key)
if bytes then return { tag, bytes, tostring(redis.call('PTTL', key)) } end
return { tag }
`;

/** The command registered with ioredis' defineCommand (EVALSHA, falling back to EVAL after a restart). */
export const LOOKUP_COMMAND = 'tilegateLookup';

/** What the script replies, with ioredis' Buffer variant of the command. */
export type LookupReply = [Buffer] | [Buffer, Buffer, Buffer];

/** The ioredis client once the lookup command is defined on it. */
export interface WithLookupCommand {
  tilegateLookupBuffer(stateKey: string, ...args: string[]): Promise<LookupReply>;
}
