import { Fieldset, Radio, ValidationMessage } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';

export type RadioOption = { value: string; label: ReactNode; description?: ReactNode };

/**
 * A question with one answer. Nothing is chosen until the person chooses: no default, so no
 * answer is ever given for them. The error is tied to every option by the design system.
 */
export function RadioGroup({
  name,
  legend,
  description,
  options,
  value,
  onChange,
  error,
  idPrefix,
  inline = false,
  className,
}: {
  name: string;
  legend: ReactNode;
  description?: ReactNode;
  options: readonly RadioOption[];
  value: string | null;
  onChange: (value: string) => void;
  error?: ReactNode;
  /** The first option gets the id `${idPrefix}-${value}`, for links from an error summary. */
  idPrefix?: string;
  inline?: boolean;
  className?: string;
}) {
  return (
    <Fieldset className={['radio-group', inline ? 'radio-group--inline' : '', className ?? ''].filter(Boolean).join(' ')}>
      <Fieldset.Legend>{legend}</Fieldset.Legend>
      {description && <Fieldset.Description>{description}</Fieldset.Description>}
      <div className="radio-group__options">
        {options.map((option) => (
          <Radio
            key={option.value}
            id={idPrefix ? `${idPrefix}-${option.value}` : undefined}
            name={name}
            value={option.value}
            label={option.label}
            description={option.description}
            checked={value === option.value}
            onChange={() => onChange(option.value)}
          />
        ))}
      </div>
      {error && <ValidationMessage>{error}</ValidationMessage>}
    </Fieldset>
  );
}

/** Several related fields (checkboxes, a block of text fields) under one legend. */
export function CheckboxGroup({
  legend,
  description,
  error,
  children,
  className = 'radio-group',
}: {
  legend: ReactNode;
  description?: ReactNode;
  error?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <Fieldset className={className}>
      <Fieldset.Legend>{legend}</Fieldset.Legend>
      {description && <Fieldset.Description>{description}</Fieldset.Description>}
      <div className="radio-group__options">{children}</div>
      {error && <ValidationMessage>{error}</ValidationMessage>}
    </Fieldset>
  );
}

export const FieldGroup = CheckboxGroup;
