/**
 * The shape says the state as well as the colour does, and the text next to it says it in
 * words: a tick for yes, a cross for no, an open circle for not (yet) answered.
 * Decorative: always placed next to text that says the same.
 */
export type StatusKind = 'yes' | 'no' | 'pending';

export function StatusIcon({ kind }: { kind: StatusKind }) {
  return (
    <svg className={`status-icon status-icon--${kind}`} viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
      {kind === 'yes' && (
        <>
          <circle cx="10" cy="10" r="9" className="status-icon__fill" />
          <path d="M5.5 10.5l3 3 6-7" className="status-icon__mark" />
        </>
      )}
      {kind === 'no' && (
        <>
          <rect x="1" y="1" width="18" height="18" rx="3" className="status-icon__fill" />
          <path d="M6 6l8 8M14 6l-8 8" className="status-icon__mark" />
        </>
      )}
      {kind === 'pending' && (
        <>
          <circle cx="10" cy="10" r="8" className="status-icon__ring" />
          <path d="M10 5.5v5l3 2" className="status-icon__hand" />
        </>
      )}
    </svg>
  );
}
