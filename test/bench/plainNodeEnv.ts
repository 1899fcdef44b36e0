// The environment the benches give the Node processes they time (the CLI, `node -e ""`): this one
// without NODE_EXTRA_CA_CERTS. Node 20 reads that certificate file as it starts, before any script
// runs, and a distribution's whole bundle takes ~40 ms of a ~90 ms start on the bench's machine
// kind. The CLI makes no TLS connection, and the native reference pays nothing like it, so it is a
// cost of the environment, not of the CLI; the replay bench reports it in a row of its own.

export const TLS_ONLY_VARIABLES = ['NODE_EXTRA_CA_CERTS'] as const;

export function plainNodeEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of TLS_ONLY_VARIABLES) delete env[name];
  return env;
}

/** The TLS-only variables set here, by name (for the bench to say what it left out). */
export function tlsOnlyVariablesSet(): string[] {
  return TLS_ONLY_VARIABLES.filter(name => process.env[name] !== undefined && process.env[name] !== '');
}
