import type { ReactNode } from 'react';
import type { ReportDefinitionKey } from '@desk/domain';
import { Definition } from './Definition.tsx';

/** A column header with its definition; numbers are right-aligned, as their cells are. */
export function Th({ children, term, name, numeric = false }: { children: ReactNode; term?: ReportDefinitionKey; name?: string; numeric?: boolean }) {
  return (
    <th scope="col" className={numeric ? 'num' : undefined}>
      {children}
      {term && <Definition term={term} name={name} />}
    </th>
  );
}

/** One row saying there is nothing, across the whole table. */
export function EmptyRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="muted">
        {children}
      </td>
    </tr>
  );
}
