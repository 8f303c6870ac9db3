import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

/**
 * Fills its parent (sized in CSS). Starts from a typical size until the first measurement, so
 * a chart renders at once, also where nothing measures layout (server-side, tests).
 */
export function ChartContainer({ children }: { children: ReactElement }) {
  return (
    <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height: 260 }}>
      {children}
    </ResponsiveContainer>
  );
}
