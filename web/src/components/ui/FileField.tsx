import { Field, Input, Label } from '@digdir/designsystemet-react';
import type { InputHTMLAttributes, ReactNode } from 'react';
import { useId } from 'react';

export type FileFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'size'> & {
  label: ReactNode;
  description?: ReactNode;
};

export function FileField({ label, description, id, ...input }: FileFieldProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  return (
    <Field>
      <Label htmlFor={inputId}>{label}</Label>
      {description && <Field.Description>{description}</Field.Description>}
      <Input id={inputId} type="file" className="file-input" {...input} />
    </Field>
  );
}
