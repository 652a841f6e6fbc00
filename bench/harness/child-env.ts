/**
 * The environment of a measured child process: this one's (PATH and the like) plus `extra`, minus
 * NODE_OPTIONS, which would carry the bench's own tsx loader into the child.
 */
export function childEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  return env;
}
