/** How to start a plugin's executable: `command ...args capabilities|serve …`. */
export interface PluginLaunch {
  /** The program to run: the executable itself, or `process.execPath` for a `node` runtime. */
  readonly command: string;
  /** Arguments before the plugin command (`capabilities`, `serve`), e.g. the JS entrypoint. */
  readonly args: readonly string[];
  /** Working directory: the plugin's folder. */
  readonly cwd: string;
  /** The file whose content identifies the plugin (the executable or the JS entrypoint). */
  readonly entrypoint: string;
}
