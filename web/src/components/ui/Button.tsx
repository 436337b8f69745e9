import { Button as DsButton } from '@digdir/designsystemet-react';
import type { ButtonHTMLAttributes, MouseEvent, ReactNode } from 'react';
import { Link as RouterLink } from 'react-router';

type Variant = 'primary' | 'secondary' | 'tertiary';

export type ButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'color'> & {
  variant?: Variant;
  /** While busy the button keeps its focus, shows a spinner and ignores clicks. */
  busy?: boolean;
  busyLabel?: ReactNode;
};

export function Button({ variant = 'primary', busy = false, busyLabel, type = 'button', onClick, children, ...rest }: ButtonProps) {
  function handleClick(event: MouseEvent<HTMLButtonElement>) {
    if (busy || rest['aria-disabled'] === true) {
      event.preventDefault();
      return;
    }
    onClick?.(event);
  }
  return (
    <DsButton
      data-color="accent"
      {...rest}
      type={type}
      variant={variant}
      loading={busy}
      aria-disabled={busy || rest['aria-disabled'] || undefined}
      onClick={handleClick}
    >
      {busy && busyLabel ? busyLabel : children}
    </DsButton>
  );
}

/** A link to a page in the app that looks like a button. */
export function ButtonLink({ to, variant = 'secondary', children }: { to: string; variant?: Variant; children: ReactNode }) {
  return (
    <DsButton asChild variant={variant} data-color="accent">
      <RouterLink to={to}>{children}</RouterLink>
    </DsButton>
  );
}
