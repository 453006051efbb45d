import type { ReactNode } from 'react';
import type { ReportDefinitionKey } from '@desk/domain';
import { Definition } from './Definition.tsx';

export interface Figure {
  label: string;
  value: ReactNode;
  /** Smaller words under the value: "of 120 decided", "median of 40". */
  detail?: ReactNode;
  term?: ReportDefinitionKey;
  testId?: string;
}

/** A report's headline numbers, each with its definition. */
export function Figures({ figures, testId }: { figures: Figure[]; testId?: string }) {
  return (
    <dl className="figures" data-testid={testId}>
      {figures.map((f) => (
        <div className="figure" key={f.label} data-testid={f.testId}>
          <dt>
            {f.label}
            {f.term && <Definition term={f.term} name={f.label.toLowerCase()} />}
          </dt>
          <dd>
            <span className="figure-value">{f.value}</span>
            {f.detail && <span className="figure-detail">{f.detail}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
