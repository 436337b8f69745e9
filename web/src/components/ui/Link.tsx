import { Link as DsLink } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router';

/** A link to a page in the app. */
export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  return (
    <DsLink asChild className={className} data-color="accent">
      <RouterLink to={to}>{children}</RouterLink>
    </DsLink>
  );
}

/** A link to a file the server sends as a download (not a page in the app). */
export function DownloadLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <DsLink href={href} download data-color="accent">
      {children}
    </DsLink>
  );
}

/** A link to a page the server makes itself, outside this app (a hosted channel's gallery). */
export function ServerPageLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <DsLink href={href} data-color="accent">
      {children}
    </DsLink>
  );
}

/** A link to another website (slettmeg.no, datatilsynet.no). Nothing is fetched from it until it is followed. */
export function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <DsLink href={href} rel="noreferrer" data-color="accent">
      {children}
    </DsLink>
  );
}
