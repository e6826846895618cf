import type { AppConfig } from './config.loader.js';

/**
 * The settings one consumer reads, as a token it injects: `@Inject(slice.KEY) config: ConfigOf<typeof slice>`.
 * Its module imports `AppConfigModule.forFeature(slice)`, which provides exactly those settings.
 */
export type ConfigSlice<K extends keyof AppConfig = keyof AppConfig> = {
  readonly KEY: symbol;
  readonly name: string;
  readonly keys: readonly K[];
};

/** What a consumer of the slice is given: its settings, read-only. */
export type ConfigOf<S extends ConfigSlice> = S extends ConfigSlice<infer K> ? Readonly<Pick<AppConfig, K>> : never;

let made = 0;

export function configSlice<const K extends keyof AppConfig>(name: string, keys: readonly K[]): ConfigSlice<K> {
  // Nest tells dynamic modules apart by their metadata, a token by its description: each is unique.
  made += 1;
  return Object.freeze({ KEY: Symbol(`config:${name}#${made}`), name, keys: Object.freeze([...keys]) });
}

/** The slice's settings out of the whole configuration (a frozen copy: nothing else is reachable through it). */
export function pickSlice<K extends keyof AppConfig>(slice: ConfigSlice<K>, read: (key: K) => AppConfig[K]): Readonly<Pick<AppConfig, K>> {
  return Object.freeze(Object.fromEntries(slice.keys.map((key) => [key, read(key)])) as Pick<AppConfig, K>);
}
