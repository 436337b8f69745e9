import { Field, Input, Label, ValidationMessage } from '@digdir/designsystemet-react';
import type { InputProps } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

export type TextFieldProps = Omit<InputProps, 'size' | 'type' | 'data-size' | 'data-color'> & {
  type?: 'text' | 'email' | 'password' | 'search' | 'tel' | 'url' | 'number';
  label: ReactNode;
  description?: ReactNode;
  /** Shown under the field; Designsystemet's field ties it to the input (aria-describedby, aria-invalid). */
  error?: ReactNode;
  optional?: boolean;
};

export function TextField({ label, description, error, optional, id, className, ...input }: TextFieldProps) {
  const { t } = useTranslation();
  const autoId = useId();
  const inputId = id ?? autoId;
  return (
    <Field className={className}>
      <Label htmlFor={inputId}>
        {label}
        {optional && <span className="field-optional"> {t('common.optional')}</span>}
      </Label>
      {description && <Field.Description id={`${inputId}-description`}>{description}</Field.Description>}
      <Input id={inputId} aria-invalid={error ? true : undefined} required={!optional} {...input} />
      {error && <ValidationMessage id={`${inputId}-error`}>{error}</ValidationMessage>}
    </Field>
  );
}
