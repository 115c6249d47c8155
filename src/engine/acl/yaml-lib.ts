import { createRequire } from 'node:module';

type YamlLib = typeof import('yaml');
let lib: YamlLib | undefined;

/**
 * The `yaml` package, loaded on first use (a runtime require the CLI bundle leaves alone): only brokers
 * with aclEnable=true and commands that find a tools.yml pay for loading it, not every start.
 */
export function yamlLib(): YamlLib {
  lib ??= createRequire(import.meta.url)('yaml') as YamlLib;
  return lib;
}
