export const backendName = 'web' as const;
