import { Details } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';

/** Text that opens on request (native <details>, so keyboard and screen readers know it). */
export function Disclosure({ summary, children, defaultOpen = false, className }: { summary: ReactNode; children: ReactNode; defaultOpen?: boolean; className?: string }) {
  return (
    <Details defaultOpen={defaultOpen} className={className}>
      <Details.Summary>{summary}</Details.Summary>
      <Details.Content>{children}</Details.Content>
    </Details>
  );
}
