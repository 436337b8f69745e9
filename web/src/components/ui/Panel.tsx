import { Card, Tag as DsTag } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';

/** A bordered block of related content (a unit with its groups, a form). */
export function Panel({ children, labelledBy, as = 'section' }: { children: ReactNode; labelledBy?: string; as?: 'section' | 'div' }) {
  const Element = as;
  return (
    <Card asChild data-color="neutral" className="panel">
      <Element aria-labelledby={labelledBy}>{children}</Element>
    </Card>
  );
}

export function Tag({ children }: { children: ReactNode }) {
  return (
    <DsTag data-color="neutral">
      {children}
    </DsTag>
  );
}

/** Label–value pairs (a person's details). */
export function DetailsList({ items }: { items: ReadonlyArray<{ term: ReactNode; value: ReactNode }> }) {
  return (
    <dl className="details-list">
      {items.map((item, index) => (
        <div key={index}>
          <dt>{item.term}</dt>
          <dd>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
