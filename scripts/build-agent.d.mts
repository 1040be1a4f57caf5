/** Bundles agent/main.ts into one ESM file; returns its path (default public/downloads/cairn-agent.mjs). */
export declare const AGENT_BUNDLE: string
export declare function buildAgent(outfile?: string): Promise<string>
