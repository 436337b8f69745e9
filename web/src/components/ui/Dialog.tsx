import { Dialog as DsDialog, Heading } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A modal dialog. Focus moves to its heading when it opens (so a screen reader starts with
 * what the dialog is about) and back to the element that opened it when it closes.
 * Escape and the close button call `onClose`.
 */
export function Dialog({ open, onClose, title, children }: { open: boolean; onClose: () => void; title: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  const titleId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const opener = useRef<HTMLElement | null>(null);

  useEffect(() => {
    if (!open) return;
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // The design system's effect has called showModal() by now (child effects run first).
    const frame = requestAnimationFrame(() => headingRef.current?.focus());
    return () => {
      cancelAnimationFrame(frame);
      const target = opener.current;
      opener.current = null;
      // After the dialog is gone: back to the button that opened it, if it is still there.
      requestAnimationFrame(() => {
        if (target?.isConnected) target.focus();
      });
    };
  }, [open]);

  return (
    <DsDialog open={open} onClose={onClose} aria-labelledby={titleId} closeButton={t('common.close')} className="app-dialog">
      <DsDialog.Block>
        <Heading level={2} data-size="xs" id={titleId} ref={headingRef} tabIndex={-1} className="app-dialog__title">
          {title}
        </Heading>
      </DsDialog.Block>
      <DsDialog.Block>{open ? children : null}</DsDialog.Block>
    </DsDialog>
  );
}
