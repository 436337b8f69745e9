import { Field, Label, Select, ValidationMessage } from '@digdir/designsystemet-react';
import type { ReactNode, SelectHTMLAttributes } from 'react';
import { useId } from 'react';

export type Option = { value: string; label: string; lang?: string };

export type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'multiple' | 'size'> & {
  label: ReactNode;
  options: readonly Option[];
  description?: ReactNode;
  error?: ReactNode;
  className?: string;
};

export function SelectField({ label, options, description, error, id, className, ...select }: SelectFieldProps) {
  const autoId = useId();
  const selectId = id ?? autoId;
  return (
    <Field className={className}>
      <Label htmlFor={selectId}>{label}</Label>
      {description && <Field.Description id={`${selectId}-description`}>{description}</Field.Description>}
      <Select id={selectId} aria-invalid={error ? true : undefined} {...select}>
        {options.map((option) => (
          <Select.Option key={option.value} value={option.value} lang={option.lang}>
            {option.label}
          </Select.Option>
        ))}
      </Select>
      {error && <ValidationMessage id={`${selectId}-error`}>{error}</ValidationMessage>}
    </Field>
  );
}
