import { Alert, Heading, Paragraph } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';

export type Tone = 'info' | 'success' | 'warning' | 'danger';

/** A message box. Colour is never the only signal: the text says what happened. */
export function Notice({ tone = 'info', heading, children }: { tone?: Tone; heading?: ReactNode; children?: ReactNode }) {
  return (
    <Alert data-color={tone} className="notice">
      {heading && (
        <Heading level={2} data-size="xs">
          {heading}
        </Heading>
      )}
      {children && <Paragraph>{children}</Paragraph>}
    </Alert>
  );
}

/**
 * A live region that exists before its message does, so screen readers announce the message
 * when it appears. `assertive` for errors that stop the person, `polite` for everything else.
 */
export function LiveRegion({ politeness = 'polite', children }: { politeness?: 'polite' | 'assertive'; children?: ReactNode }) {
  return (
    <div role={politeness === 'assertive' ? 'alert' : 'status'} aria-live={politeness} aria-atomic="true" className="live-region">
      {children}
    </div>
  );
}
