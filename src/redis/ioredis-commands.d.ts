/**
 * Types for the Lua commands registered by script-loader.ts. Add one signature per
 * `src/redis/scripts/<name>-<numKeys>.lua`, keys first, then ARGV.
 */
import 'ioredis';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** scripts/ping-0.lua: returns 'PONG' from Lua (proves script loading works). */
    luaPing(): Result<string, Context>;
  }
}
