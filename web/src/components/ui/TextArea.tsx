import { Field, Label, Textarea, ValidationMessage } from '@digdir/designsystemet-react';
import type { ReactNode, TextareaHTMLAttributes } from 'react';
import { useId } from 'react';

export type TextAreaProps = TextareaHTMLAttributes<HTMLTextAreaElement> & {
  label: ReactNode;
  description?: ReactNode;
  error?: ReactNode;
};

export function TextArea({ label, description, error, id, ...textarea }: TextAreaProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  return (
    <Field>
      <Label htmlFor={inputId}>{label}</Label>
      {description && <Field.Description id={`${inputId}-description`}>{description}</Field.Description>}
      <Textarea id={inputId} aria-invalid={error ? true : undefined} {...textarea} />
      {error && <ValidationMessage id={`${inputId}-error`}>{error}</ValidationMessage>}
    </Field>
  );
}
