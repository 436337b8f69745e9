import { Checkbox } from '@digdir/designsystemet-react';
import type { InputHTMLAttributes } from 'react';

export type CheckboxFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'size' | 'aria-label' | 'aria-labelledby'> & { label: string };

export function CheckboxField({ label, ...input }: CheckboxFieldProps) {
  return <Checkbox label={label} {...input} />;
}
