import { Table } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';
import { useEffect, useId, useRef, useState } from 'react';

export type Column<T> = {
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  numeric?: boolean;
  /** The cell that names the row is a row header. */
  rowHeader?: boolean;
  /** Running text (a message): kept readable on phones instead of squeezed. */
  wide?: boolean;
};

function cellClass<T>(column: Column<T>): string | undefined {
  return [column.numeric ? 'numeric' : '', column.wide ? 'cell-wide' : ''].filter(Boolean).join(' ') || undefined;
}

/** Whether the element's content is wider than the element, kept up to date as it resizes. */
function useOverflows<E extends HTMLElement>() {
  const ref = useRef<E>(null);
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setOverflows(element.scrollWidth > element.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return { ref, overflows };
}

/**
 * A table with a caption. On narrow screens it scrolls sideways; only then is the scroll area
 * a named, focusable region, so keyboard users can scroll it without extra stops otherwise.
 */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  captionHidden = false,
}: {
  caption: ReactNode;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  captionHidden?: boolean;
}) {
  const captionId = useId();
  const { ref, overflows } = useOverflows<HTMLDivElement>();
  return (
    <div
      ref={ref}
      className="table-scroll"
      {...(overflows ? { role: 'region', 'aria-labelledby': captionId, tabIndex: 0 } : {})}
    >
      <Table zebra border data-size="sm">
        <caption id={captionId} className={captionHidden ? 'ds-sr-only' : 'table-caption'}>
          {caption}
        </caption>
        <Table.Head>
          <Table.Row>
            {columns.map((column) => (
              <Table.HeaderCell key={column.key} scope="col" className={cellClass(column)}>
                {column.header}
              </Table.HeaderCell>
            ))}
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {rows.map((row) => (
            <Table.Row key={rowKey(row)}>
              {columns.map((column) =>
                column.rowHeader ? (
                  <Table.HeaderCell key={column.key} scope="row" className={cellClass(column)}>
                    {column.cell(row)}
                  </Table.HeaderCell>
                ) : (
                  <Table.Cell key={column.key} className={cellClass(column)}>
                    {column.cell(row)}
                  </Table.Cell>
                ),
              )}
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </div>
  );
}
