/**
 * The environment of a measured child process: this one's (PATH and the like) plus `extra`, minus
 * this process's NODE_OPTIONS, which would carry the bench's own tsx loader into the child (`extra`
 * may set its own).
 */
export function childEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return { ...env, ...extra };
}
