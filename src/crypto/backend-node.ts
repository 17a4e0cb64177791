export const backendName = 'node' as const;
