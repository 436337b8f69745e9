import { Heading as DsHeading, Paragraph } from '@digdir/designsystemet-react';
import type { ReactNode, Ref } from 'react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** The page's one h1; also sets document.title. */
export function PageHeading({ children, title }: { children: ReactNode; title?: string }) {
  const { t } = useTranslation();
  const text = title ?? (typeof children === 'string' ? children : '');
  useEffect(() => {
    const app = t('app.name');
    document.title = text && text !== app ? `${text} – ${app}` : app;
  }, [text, t]);
  return (
    <DsHeading level={1} data-size="lg" tabIndex={-1} className="page-heading">
      {children}
    </DsHeading>
  );
}

/**
 * A section heading (h2 by default, h3 inside a section). `focusable` lets the page move focus
 * to it when it appears as the result of an action.
 */
export function SectionHeading({
  children,
  level = 2,
  id,
  size,
  focusable = false,
  ref,
}: {
  children: ReactNode;
  level?: 2 | 3;
  id?: string;
  size?: 'xs' | 'sm' | 'md';
  focusable?: boolean;
  ref?: Ref<HTMLHeadingElement>;
}) {
  return (
    <DsHeading ref={ref} level={level} data-size={size ?? (level === 2 ? 'sm' : 'xs')} id={id} tabIndex={focusable ? -1 : undefined}>
      {children}
    </DsHeading>
  );
}

export function Text({ children, className }: { children: ReactNode; className?: string }) {
  return <Paragraph className={className}>{children}</Paragraph>;
}
